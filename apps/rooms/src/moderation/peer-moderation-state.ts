import type { ParticipantRole } from '@confer/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MediaPermissionOverrides } from './media-permissions';
import { PeerMediaPermissionsEntity } from './peer-media-permissions.entity';
import { RaisedHandEntity } from './raised-hand.entity';

/** The moderation state of peers in a live room: permission overrides and raised hands. */
@Injectable()
export class PeerModerationState {
  async assignRole(
    tx: EntityManager,
    sessionId: string,
    peerId: string,
    role: ParticipantRole,
    by: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO peer_role_overrides (session_id, peer_id, role, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, peer_id) DO UPDATE SET role = EXCLUDED.role, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [sessionId, peerId, role, by],
    );
  }

  async overrides(tx: EntityManager, sessionId: string, peerId: string): Promise<MediaPermissionOverrides> {
    const row = await tx.getRepository(PeerMediaPermissionsEntity).findOneBy({ sessionId, peerId });
    return row?.permissions ?? {};
  }

  async setOverrides(
    tx: EntityManager,
    sessionId: string,
    peerId: string,
    permissions: MediaPermissionOverrides,
    by: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO peer_media_permissions (session_id, peer_id, permissions, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (session_id, peer_id) DO UPDATE
         SET permissions = EXCLUDED.permissions, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [sessionId, peerId, JSON.stringify(permissions), by],
    );
  }

  /** Returns false when the hand was already up. */
  async raiseHand(
    tx: EntityManager,
    sessionId: string,
    peerId: string,
    connectionId: string,
  ): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO raised_hands (connection_id, session_id, peer_id, raised_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (connection_id) DO NOTHING RETURNING connection_id`,
      [connectionId, sessionId, peerId],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Returns false when the hand was not up. */
  async lowerHand(tx: EntityManager, connectionId: string): Promise<boolean> {
    const result = await tx.getRepository(RaisedHandEntity).delete({ connectionId });
    return (result.affected ?? 0) > 0;
  }
}
