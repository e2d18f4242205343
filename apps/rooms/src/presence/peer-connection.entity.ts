import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ParticipantRole, PeerLeaveReasons, RoomFaces } from '@confer/contracts';

export type LeaveReason = (typeof PeerLeaveReasons)[number];
export type RoomFace = (typeof RoomFaces)[number];

export interface PeerCallbacks {
  apiEvent: string;
  authEvent?: string;
}

/** One connection of a peer to a live room. A peer id has at most one live connection per room. */
@Entity({ name: 'peer_connections' })
export class PeerConnectionEntity {
  /** Unguessable: whoever holds it speaks for this connection (heartbeats, leaving). */
  @PrimaryColumn('text', { name: 'connection_id' })
  connectionId: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text', { name: 'room_id' })
  roomId: string;

  @Column('text', { name: 'peer_id' })
  peerId: string;

  @Column('text', { name: 'display_name', nullable: true })
  displayName: string | null;

  @Column('text')
  role: ParticipantRole;

  @Column('text')
  face: RoomFace;

  @Column('jsonb')
  attributes: Record<string, unknown>;

  @Column('jsonb', { nullable: true })
  callbacks: PeerCallbacks | null;

  @Column('timestamptz', { name: 'joined_at' })
  joinedAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column('timestamptz', { name: 'left_at', nullable: true })
  leftAt: Date | null;

  @Column('text', { name: 'leave_reason', nullable: true })
  leaveReason: LeaveReason | null;
}
