import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MediaPermissionOverrides } from './media-permissions';

/**
 * What moderators changed about a peer's media in one life of a room. Keyed by peer
 * id, not connection, so the grant of a reconnection carries it too.
 */
@Entity({ name: 'peer_media_permissions' })
export class PeerMediaPermissionsEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId: string;

  @PrimaryColumn('text', { name: 'peer_id' })
  peerId: string;

  @Column('jsonb')
  permissions: MediaPermissionOverrides;

  @Column('text', { name: 'updated_by' })
  updatedBy: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
