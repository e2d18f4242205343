import { Injectable } from '@nestjs/common';
import { EventContract, EventOf, parseEvent, subjectOf } from '@confer/contracts';
import { EntityManager } from 'typeorm';
import { OutboxContracts } from './outbox-contracts';
import { OutboxNotInTransaction, UnknownOutboxContract } from './outbox.errors';
import { INSERT_AND_NOTIFY } from './outbox-sql';
import { captureTraceHeaders } from './outbox-trace';

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
    if (!this.contracts.knows(contract)) throw new UnknownOutboxContract(contract.type, contract.version);
    const valid = parseEvent(contract, event);
    const subject = subjectOf(contract, valid);
    const headers = captureTraceHeaders();
    await manager.query(INSERT_AND_NOTIFY, [
      valid.id,
      subject,
      contract.type,
      contract.version,
      JSON.stringify(valid),
      headers === null ? null : JSON.stringify(headers),
    ]);
  }
}
