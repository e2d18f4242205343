import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Trace context captured when the row was written (W3C `traceparent`, `tracestate`). */
export type StoredTraceHeaders = Record<string, string>;

/**
 * An event committed with the state change it announces, waiting for the relay to publish
 * it. The row is deleted once JetStream has stored the event.
 */
@Entity({ name: 'event_outbox' })
export class EventOutboxEntity {
  /** Publication order. A bigint: pg returns it as a string, and so do we. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  /** The envelope id, also the JetStream message id that deduplicates a re-publication. */
  @Column('text', { name: 'event_id', unique: true })
  eventId: string;

  /** For operators reading the table; the relay recomputes it from the contract. */
  @Column('text')
  subject: string;

  /** Contract type ("api-key.created") and version: how the relay finds the contract again. */
  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('int', { name: 'schema_version' })
  schemaVersion: number;

  @Column('jsonb')
  envelope: unknown;

  @Column('jsonb', { nullable: true })
  headers: StoredTraceHeaders | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  /** Failed publication attempts of this row (it heads the queue while NATS is down). */
  @Column('int', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
