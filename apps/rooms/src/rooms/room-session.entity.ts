import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One life of a room: from its first participant to the moment the last one left. */
@Entity({ name: 'room_sessions' })
export class RoomSessionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text', { name: 'room_id' })
  roomId: string;

  @Column('char', { name: 'conference_number', length: 8 })
  conferenceNumber: string;

  @Column('text', { name: 'media_server' })
  mediaServer: string;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column('text', { name: 'end_reason', nullable: true })
  endReason: 'empty' | 'closed' | null;
}
