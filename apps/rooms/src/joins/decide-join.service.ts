import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PeerJoined, VerifiedParticipant } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { ROOMS_CONFIG, RoomsConfig } from '../config/rooms.config';
import { RoomErrors } from '../rooms.errors';
import { assertRoomId } from '../rooms/room-id';
import { lockRoom } from '../rooms/room-lock';
import { LiveRooms } from '../rooms/live-rooms';
import { MediaServers } from '../media-servers/media-servers';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { PeerDepartures } from '../presence/peer-departures';
import { peerJoinedEvent } from '../presence/peer-events';
import { AccessCheckClient } from './access-check/access-check.client';
import { EffectiveAttributes, effectiveAttributes } from './effective-attributes';
import { JoinGrantsClient } from './join-grants.client';
import { JoinRequestDto } from './join.request.dto';
import { ParticipantTokensClient } from './participant-tokens.client';
import { isBroadcaster, Permissions, permissionsOf, resolveRole } from './roles';
import { JOIN_HOOKS, JoinContext, JoinDeferral, JoinHook } from './join-hooks';

export interface JoinGrant {
  status: 'admitted';
  orgId: string;
  roomId: string;
  conferenceNumber: string;
  peerId: string;
  connectionId: string;
  displayName: string | null;
  role: string;
  permissions: Permissions;
  settings: EffectiveAttributes;
  mediaServer: { id: string; url: string };
  grant: { token: string; expiresAt: number };
  heartbeat: { path: string; intervalSeconds: number };
  replacedConnectionId: string | null;
}

/**
 * The one place a join is decided: token, attributes, the integrator's access check,
 * limits, token lifetime and the one-connection-per-peer rule, then the grant.
 */
@Injectable()
export class DecideJoin {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: ParticipantTokensClient,
    private readonly accessCheck: AccessCheckClient,
    private readonly grants: JoinGrantsClient,
    private readonly liveRooms: LiveRooms,
    private readonly departures: PeerDepartures,
    private readonly mediaServers: MediaServers,
    private readonly outbox: OutboxWriter,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
    @Inject(JOIN_HOOKS) private readonly hooks: readonly JoinHook[],
  ) {}

  async execute(roomId: string, request: JoinRequestDto): Promise<JoinGrant | JoinDeferral> {
    assertRoomId(roomId);
    const participant = request.token
      ? await this.tokens.verify({
          token: request.token,
          roomId,
          ...(request.orgId ? { orgId: request.orgId } : {}),
          ...(request.peerId ? { peerId: request.peerId } : {}),
        })
      : undefined;
    const orgId = this.organisationOf(participant, request);
    const face = request.face ?? 'call';
    const peerId = participant?.identity ?? request.peerId ?? `peer_${randomBytes(9).toString('base64url')}`;

    const settings = await this.preparedSettings(orgId, roomId);
    if (settings.requireToken && !participant) throw RoomErrors.tokenRequired();
    const attributes = effectiveAttributes(request, settings, participant);
    const role = resolveRole(face, participant?.role, attributes);
    const permissions = permissionsOf(role, attributes);
    if (settings.locked && !permissions.moderate) throw RoomErrors.roomLocked();

    if (attributes.accessUrl) await this.askAccessCheck(attributes, roomId, peerId);

    return this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const state = await this.liveRooms.stateForJoin(tx, orgId, roomId, peerId);
      if (request.token && attributes.tokenLifetime)
        await this.checkTokenLifetime(tx, request.token, attributes.tokenLifetime);
      const live = state.livePeer;
      if (state.session)
        await this.checkLimits(tx, state.session.id, face, role, attributes, live?.connectionId);
      const context: JoinContext = {
        orgId,
        roomId,
        peerId,
        face,
        role,
        permissions,
        attributes,
        participant,
        request,
        session: state.session,
      };
      for (const hook of this.hooks) {
        // Hooks run before an empty room starts: a joiner held back starts nothing.
        const deferral = await hook.beforeAdmit?.(tx, context);
        if (deferral) return deferral;
      }
      // The hooks may have changed them (a role a moderator gave this peer earlier).
      const { role: admittedRole, permissions: admittedPermissions } = context;
      const session = await this.liveRooms.startIfIdle(tx, orgId, roomId, state.session);
      if (live) await this.departures.depart(tx, live, 'replaced', { endRoomIfEmpty: false });

      const connection = Object.assign(new PeerConnectionEntity(), {
        connectionId: `c_${randomBytes(18).toString('base64url')}`,
        sessionId: session.id,
        orgId,
        roomId,
        peerId,
        displayName: participant?.displayName ?? request.displayName ?? null,
        role: admittedRole,
        face,
        attributes: withoutSecrets(attributes),
        callbacks: attributes.apiEvent
          ? {
              apiEvent: attributes.apiEvent,
              ...(attributes.authEvent ? { authEvent: attributes.authEvent } : {}),
            }
          : null,
        joinedAt: new Date(),
        lastSeenAt: new Date(),
        leftAt: null,
        leaveReason: null,
      });
      await tx.query(
        `INSERT INTO peer_connections (connection_id, session_id, org_id, room_id, peer_id, display_name, role, face,
                                       attributes, callbacks, joined_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [
          connection.connectionId,
          session.id,
          orgId,
          roomId,
          peerId,
          connection.displayName,
          admittedRole,
          face,
          JSON.stringify(connection.attributes),
          connection.callbacks ? JSON.stringify(connection.callbacks) : null,
          connection.joinedAt,
        ],
      );
      await this.outbox.add(tx, PeerJoined, peerJoinedEvent(connection, session));
      for (const hook of this.hooks)
        await hook.afterAdmit?.(tx, { ...context, session, connectionId: connection.connectionId });

      const server =
        this.mediaServers.all.find((s) => s.id === session.mediaServer) ?? this.mediaServers.forRoom(roomId);
      // Signed before commit: a join whose grant cannot be signed does not happen at all.
      const grant = await this.grants.sign(
        {
          org: orgId,
          room: roomId,
          session: session.id,
          conferenceNumber: session.conferenceNumber,
          peer: peerId,
          connection: connection.connectionId,
          role: admittedRole,
          perms: admittedPermissions,
          mediaServer: server.id,
        },
        this.config.JOIN_GRANT_TTL_SECONDS,
      );
      return {
        status: 'admitted' as const,
        orgId,
        roomId,
        conferenceNumber: session.conferenceNumber,
        peerId,
        connectionId: connection.connectionId,
        displayName: connection.displayName,
        role: admittedRole,
        permissions: admittedPermissions,
        settings: withoutSecrets(attributes),
        mediaServer: { id: server.id, url: server.url },
        grant,
        heartbeat: {
          path: `/v1/rooms/${roomId}/peers/${encodeURIComponent(peerId)}/heartbeat`,
          intervalSeconds: Math.max(1, Math.floor(this.config.PEER_HEARTBEAT_TIMEOUT_SECONDS / 3)),
        },
        replacedConnectionId: live?.connectionId ?? null,
      };
    });
  }

  private organisationOf(participant: VerifiedParticipant | undefined, request: JoinRequestDto): string {
    if (participant) {
      if (request.orgId && request.orgId !== participant.orgId) {
        throw RoomErrors.wrongRoom(undefined, {
          message: 'The participant token belongs to another organisation',
        });
      }
      return participant.orgId;
    }
    const orgId = request.orgId ?? this.config.DEFAULT_ORG_ID;
    if (!orgId)
      throw RoomErrors.tokenRequired(undefined, { message: 'Enter this room with a participant token' });
    return orgId;
  }

  private async preparedSettings(orgId: string, roomId: string) {
    const rows = (await this.dataSource.query(
      'SELECT settings FROM rooms WHERE org_id = $1 AND room_id = $2',
      [orgId, roomId],
    )) as Array<{ settings: EffectiveAttributes }>;
    return rows[0]?.settings ?? {};
  }

  private async askAccessCheck(
    attributes: EffectiveAttributes,
    roomId: string,
    peerId: string,
  ): Promise<void> {
    const answer = await this.accessCheck.check({
      url: attributes.accessUrl as string,
      ...(attributes.authorizationAccess ? { authorization: attributes.authorizationAccess } : {}),
      body: { ...(attributes.accessToken ? { accessToken: attributes.accessToken } : {}), roomId, peerId },
    });
    if (answer.outcome === 'admit') return;
    if (answer.outcome === 'unavailable') throw RoomErrors.accessCheckUnavailable({ cause: answer.cause });
    switch (answer.status) {
      case 404:
        throw RoomErrors.roomNotFound(
          { accessCheckStatus: 404 },
          { message: 'The access check does not know this room' },
        );
      case 423:
        throw RoomErrors.roomLocked({ accessCheckStatus: 423 });
      case 425:
        throw RoomErrors.tooEarly(
          { accessCheckStatus: 425, ...(attributes.startTime ? { startTime: attributes.startTime } : {}) },
          {
            message: attributes.startTime
              ? `The event has not started yet. Start ${attributes.startTime}`
              : undefined,
          },
        );
      default:
        throw RoomErrors.accessDenied(
          { accessCheckStatus: answer.status },
          { message: ACCESS_DENIED_MESSAGES[answer.status] ?? RoomErrors.accessDenied.message },
        );
    }
  }

  private async checkTokenLifetime(tx: EntityManager, token: string, lifetimeMs: number): Promise<void> {
    const hash = createHash('sha256').update(token).digest('hex');
    const [row] = (await tx.query(
      `INSERT INTO token_first_uses (token_hash) VALUES ($1)
       ON CONFLICT (token_hash) DO UPDATE SET token_hash = EXCLUDED.token_hash
       RETURNING first_used_at`,
      [hash],
    )) as Array<{ first_used_at: Date }>;
    if (Date.now() - new Date(row.first_used_at).getTime() > lifetimeMs)
      throw RoomErrors.tokenLifetimeExceeded();
  }

  private async checkLimits(
    tx: EntityManager,
    sessionId: string,
    face: 'call' | 'webinar',
    role: string,
    attributes: EffectiveAttributes,
    replacing: string | undefined,
  ): Promise<void> {
    const broadcaster = isBroadcaster(role as Parameters<typeof isBroadcaster>[0]);
    const limit = broadcaster
      ? (attributes.maxBroadcasters ?? (face === 'webinar' ? this.config.WEBINAR_MAX_SPEAKERS : undefined))
      : (attributes.maxWatchers ?? (face === 'webinar' ? this.config.WEBINAR_MAX_VIEWERS : undefined));
    if (limit === undefined) return;
    const [{ present }] = (await tx.query(
      `SELECT count(*)::int AS present FROM peer_connections
        WHERE session_id = $1 AND left_at IS NULL AND (role = 'viewer') = $2 AND connection_id <> $3`,
      [sessionId, !broadcaster, replacing ?? ''],
    )) as Array<{ present: number }>;
    if (present >= limit) {
      throw RoomErrors.roomFull(
        { limit, kind: broadcaster ? 'broadcasters' : 'watchers' },
        { message: `The room is full: at most ${limit} ${broadcaster ? 'broadcasters' : 'watchers'}` },
      );
    }
  }
}

const ACCESS_DENIED_MESSAGES: Record<number, string> = {
  400: 'The access check did not find this token, room or peer',
  401: 'Access to the room was declined',
  403: 'The access token is invalid',
};

/** Credentials among the attributes (headers for callbacks) never leave in answers or events. */
function withoutSecrets(attributes: EffectiveAttributes): EffectiveAttributes {
  const { authorizationAccess: _a, authEvent: _e, accessToken: _t, ...rest } = attributes;
  return rest;
}
