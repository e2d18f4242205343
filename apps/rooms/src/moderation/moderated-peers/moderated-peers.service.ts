import { Injectable } from '@nestjs/common';
import { Permissions, permissionsOf } from '../../joins/roles';
import { EffectiveAttributes } from '../../joins/effective-attributes';
import { ActorCredentials, ModerationActors } from '../moderation-actor';
import { MediaPermissionOverrides, withOverrides } from '../media-permissions';

export interface ModeratedPeerView {
  peerId: string;
  displayName: string | null;
  role: string;
  face: string;
  joinedAt: string;
  /** What the peer may do now: its role's permissions after moderators' changes. */
  permissions: Permissions;
  handRaisedAt: string | null;
}

interface Row {
  peer_id: string;
  display_name: string | null;
  role: string;
  face: string;
  joined_at: Date;
  attributes: EffectiveAttributes;
  overrides: MediaPermissionOverrides | null;
  raised_at: Date | null;
}

/** The moderator's panel: the peers present, with their permissions and raised hands. */
@Injectable()
export class ModeratedPeers {
  constructor(private readonly actors: ModerationActors) {}

  list(roomId: string, credentials: ActorCredentials): Promise<ModeratedPeerView[]> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const rows = (await tx.query(
        `SELECT c.peer_id, c.display_name, c.role, c.face, c.joined_at, c.attributes,
                p.permissions AS overrides, h.raised_at
           FROM peer_connections c
           LEFT JOIN peer_media_permissions p ON p.session_id = c.session_id AND p.peer_id = c.peer_id
           LEFT JOIN raised_hands h ON h.connection_id = c.connection_id
          WHERE c.org_id = $1 AND c.room_id = $2 AND c.left_at IS NULL
          ORDER BY c.joined_at LIMIT 5000`,
        [actor.orgId, roomId],
      )) as Row[];
      return rows.map((r) => ({
        peerId: r.peer_id,
        displayName: r.display_name,
        role: r.role,
        face: r.face,
        joinedAt: new Date(r.joined_at).toISOString(),
        permissions: withOverrides(
          permissionsOf(r.role as Parameters<typeof permissionsOf>[0], r.attributes),
          r.overrides ?? {},
        ),
        handRaisedAt: r.raised_at ? new Date(r.raised_at).toISOString() : null,
      }));
    });
  }
}
