import { Injectable } from '@nestjs/common';
import { EventContract, EventOf, parseEvent, subjectOf } from '@confer/contracts';
import { EntityManager } from 'typeorm';
import { OutboxContracts } from './outbox-contracts';
import { OutboxNotInTransaction, UnknownOutboxContract } from './outbox.errors';
import { INSERT_AND_NOTIFY } from './outbox-sql';
import { captureTraceHeaders } from './outbox-trace';
import { StoredTraceHeaders } from './event-outbox.entity';

/**
 * An event as an `event_outbox` row, named by its columns, for a caller that writes it
 * with its own statement (e.g. a SQL function making a whole change in one round trip).
 */
export interface OutboxRow {
  event_id: string;
  subject: string;
  event_type: string;
  schema_version: number;
  envelope: unknown;
  headers: StoredTraceHeaders | null;
}

/**
 * Queues an event in the caller's transaction: it is published after, and only if, that
 * transaction commits. Use it instead of EventPublisherPort wherever an event announces a
 * change to the service's own database.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly contracts: OutboxContracts) {}

  /**
   * Validates the event (a row that can never be published must fail the caller's
   * transaction now, not the relay later), then inserts it with `manager`, which must be the
   * EntityManager of an active transaction. The caller commits. Throws SchemaViolation,
   * InvalidSubjectToken, OutboxNotInTransaction or UnknownOutboxContract; an event id already
   * waiting in the outbox fails the insert (unique violation).
   */
  async add<C extends EventContract>(manager: EntityManager, contract: C, event: EventOf<C>): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new OutboxNotInTransaction(contract.type);
    const row = this.row(contract, event);
    await manager.query(INSERT_AND_NOTIFY, [
      row.event_id,
      row.subject,
      row.event_type,
      row.schema_version,
      JSON.stringify(row.envelope),
      row.headers === null ? null : JSON.stringify(row.headers),
    ]);
  }

  /**
   * The validated row of an event, for a caller that inserts it itself, in the same
   * transaction as the change it announces, and wakes the relays with OUTBOX_NOTIFY_SQL
   * in that transaction. Throws as add() does before writing.
   */
  row<C extends EventContract>(contract: C, event: EventOf<C>): OutboxRow {
    if (!this.contracts.knows(contract)) throw new UnknownOutboxContract(contract.type, contract.version);
    const valid = parseEvent(contract, event);
    return {
      event_id: valid.id,
      subject: subjectOf(contract, valid),
      event_type: contract.type,
      schema_version: contract.version,
      envelope: valid,
      headers: captureTraceHeaders(),
    };
  }
}
