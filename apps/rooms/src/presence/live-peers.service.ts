import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { RoomErrors } from '../rooms.errors';
import { PeerConnectionEntity } from './peer-connection.entity';

export interface LivePeerView {
  peerId: string;
  displayName: string | null;
  role: string;
  face: string;
  joinedAt: string;
  handRaised: boolean;
  /** What a moderator allowed or forbade this peer beyond its role (e.g. shareScreen: false). */
  permissionOverrides: Record<string, boolean>;
}

@Injectable()
export class LivePeers {
  constructor(private readonly dataSource: DataSource) {}

  async list(orgId: string, roomId: string): Promise<LivePeerView[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.peer_id, c.display_name, c.role, c.face, c.joined_at,
              h.connection_id IS NOT NULL AS hand_raised,
              coalesce(m.permissions, '{}'::jsonb) AS permissions
         FROM peer_connections c
         LEFT JOIN raised_hands h ON h.connection_id = c.connection_id
         LEFT JOIN peer_media_permissions m ON m.session_id = c.session_id AND m.peer_id = c.peer_id
        WHERE c.org_id = $1 AND c.room_id = $2 AND c.left_at IS NULL
        ORDER BY c.joined_at
        LIMIT 5000`,
      [orgId, roomId],
    )) as Array<{
      peer_id: string;
      display_name: string | null;
      role: string;
      face: string;
      joined_at: Date;
      hand_raised: boolean;
      permissions: Record<string, boolean>;
    }>;
    return rows.map((r) => ({
      peerId: r.peer_id,
      displayName: r.display_name,
      role: r.role,
      face: r.face,
      joinedAt: new Date(r.joined_at).toISOString(),
      handRaised: r.hand_raised,
      permissionOverrides: r.permissions,
    }));
  }

  /** A live connection, found by the secret id its holder knows. */
  async connection(roomId: string, peerId: string, connectionId: string): Promise<PeerConnectionEntity> {
    const connection = await this.dataSource
      .getRepository(PeerConnectionEntity)
      .findOneBy({ connectionId, roomId, peerId, leftAt: IsNull() });
    if (!connection) throw RoomErrors.peerNotFound({ roomId, peerId });
    return connection;
  }
}
