import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WaitingStatus } from './waiting-policy';

/** A joiner held in a room's waiting room, and what a moderator decided. */
@Entity({ name: 'waiting_entries' })
export class WaitingEntryEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text', { name: 'room_id' })
  roomId: string;

  @Column('text', { name: 'peer_id' })
  peerId: string;

  @Column('text', { name: 'display_name', nullable: true })
  displayName: string | null;

  @Column('text')
  status: WaitingStatus;

  /**
   * Of the room's life in which the joiner asked, if it was live: events name it when
   * the room is no longer live. Null when the joiner waited in an empty room.
   */
  @Column('char', { name: 'conference_number', length: 8, nullable: true })
  conferenceNumber: string | null;

  /** SHA-256 of the ticket only its joiner holds: it polls and re-joins with it. */
  @Column('text', { name: 'ticket_hash' })
  ticketHash: string;

  @Column('timestamptz', { name: 'requested_at' })
  requestedAt: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  /** Peer id of the moderator, or the API client id. */
  @Column('text', { name: 'decided_by', nullable: true })
  decidedBy: string | null;
}
