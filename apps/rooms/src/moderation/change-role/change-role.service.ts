import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxWriter } from '@confer/outbox';
import { ParticipantRole, PeerRoleChanged } from '@confer/contracts';
import { ROOMS_CONFIG, RoomsConfig } from '../../config/rooms.config';
import { RoomErrors } from '../../rooms.errors';
import { Permissions, permissionsOf } from '../../joins/roles';
import { EffectiveAttributes } from '../../joins/effective-attributes';
import { PeerConnectionEntity } from '../../presence/peer-connection.entity';
import { ActorCredentials, ModerationActors } from '../moderation-actor';
import { withOverrides } from '../media-permissions';
import { peerRoleChangedEvent } from '../moderation-events';
import { liveTarget } from '../moderation-target';
import { PeerModerationState } from '../peer-moderation-state';
import { AssignableRole, roleChangeLimit } from '../role-change';

export interface RoleChangeOutcome {
  peerId: string;
  from: ParticipantRole;
  role: ParticipantRole;
  permissions: Permissions;
}

/**
 * A moderator changes a peer's role for its live connection, e.g. makes a webinar
 * viewer a speaker, within the room's maxBroadcasters and maxWatchers.
 */
@Injectable()
export class ChangeRole {
  constructor(
    private readonly actors: ModerationActors,
    private readonly state: PeerModerationState,
    private readonly outbox: OutboxWriter,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {}

  execute(
    roomId: string,
    peerId: string,
    role: AssignableRole,
    credentials: ActorCredentials,
  ): Promise<RoleChangeOutcome> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const { connection, session } = await liveTarget(tx, actor.orgId, roomId, peerId);
      const from = connection.role;
      if (from !== role) {
        await this.checkLimits(tx, connection, role);
        await tx
          .getRepository(PeerConnectionEntity)
          .update({ connectionId: connection.connectionId }, { role });
        // Kept for the room's life: a reconnection comes back in the role it was given.
        await this.state.assignRole(tx, session.id, peerId, role, actor.by);
        await this.outbox.add(
          tx,
          PeerRoleChanged,
          peerRoleChangedEvent(session, peerId, from, role, actor.by, connection.connectionId),
        );
      }
      const attributes = connection.attributes as EffectiveAttributes;
      const overrides = await this.state.overrides(tx, session.id, peerId);
      return { peerId, from, role, permissions: withOverrides(permissionsOf(role, attributes), overrides) };
    });
  }

  private async checkLimits(tx: EntityManager, connection: PeerConnectionEntity, to: ParticipantRole) {
    const attributes = connection.attributes as EffectiveAttributes;
    const webinar = connection.face === 'webinar';
    const [present] = (await tx.query(
      `SELECT count(*) FILTER (WHERE role <> 'viewer')::int AS broadcasters,
              count(*) FILTER (WHERE role = 'viewer')::int AS watchers
         FROM peer_connections WHERE session_id = $1 AND left_at IS NULL AND connection_id <> $2`,
      [connection.sessionId, connection.connectionId],
    )) as Array<{ broadcasters: number; watchers: number }>;
    const exceeded = roleChangeLimit(connection.role, to, present, {
      maxBroadcasters: attributes.maxBroadcasters ?? (webinar ? this.config.WEBINAR_MAX_SPEAKERS : undefined),
      maxWatchers: attributes.maxWatchers ?? (webinar ? this.config.WEBINAR_MAX_VIEWERS : undefined),
    });
    if (exceeded)
      throw RoomErrors.roomFull(exceeded, {
        message: `The room already has its most ${exceeded.kind}: ${exceeded.limit}`,
      });
  }
}
