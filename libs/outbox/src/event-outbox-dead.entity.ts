import { Column, Entity, PrimaryColumn } from 'typeorm';
import { StoredTraceHeaders } from './event-outbox.entity';

/**
 * A row the relay set aside because it can never be published as stored (its envelope no
 * longer satisfies its contract). Kept, not dropped: an operator can fix the envelope and
 * move it back into event_outbox.
 */
@Entity({ name: 'event_outbox_dead' })
export class EventOutboxDeadEntity {
  /** The seq it had in event_outbox. */
  @PrimaryColumn('bigint')
  seq: string;

  @Column('text', { name: 'event_id' })
  eventId: string;

  @Column('text')
  subject: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('int', { name: 'schema_version' })
  schemaVersion: number;

  @Column('jsonb')
  envelope: unknown;

  @Column('jsonb', { nullable: true })
  headers: StoredTraceHeaders | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('int')
  attempts: number;

  /** Why it was set aside (the schema problems). */
  @Column('text')
  reason: string;

  @Column('timestamptz', { name: 'dead_at' })
  deadAt: Date;
}
