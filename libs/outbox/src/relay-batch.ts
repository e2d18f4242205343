import { EventPublisherPort } from '@confer/bus';
import {
  EventOf,
  EventContract,
  InvalidSubjectToken,
  SchemaViolation,
  parseEvent,
  subjectOf,
} from '@confer/contracts';
import { context } from '@opentelemetry/api';
import { StoredTraceHeaders } from './event-outbox.entity';
import { OutboxContracts } from './outbox-contracts';
import { UnknownOutboxContract, describe } from './outbox.errors';
import { traceContextOf } from './outbox-trace';

/** A row taken from event_outbox by the relay. */
export interface PendingRow {
  seq: string;
  eventId: string;
  eventType: string;
  schemaVersion: number;
  envelope: unknown;
  headers: StoredTraceHeaders | null;
}

export interface SetAsideRow {
  row: PendingRow;
  reason: string;
}

export interface BatchOutcome {
  /** Stored by JetStream (or already there: a duplicate counts as done). */
  published: PendingRow[];
  /** Can never be published as stored; moved out of the queue. */
  setAside: SetAsideRow[];
  /** The row the batch stopped at; it and every later row stay queued. */
  failed?: { row: PendingRow; error: unknown };
}

/**
 * Publishes rows one at a time in the given (seq) order and stops at the first one that
 * fails, so no later row overtakes it. A row that is invalid in itself is set aside instead:
 * retrying it cannot help, and it must not block the rows behind it.
 */
export async function publishInOrder(
  rows: readonly PendingRow[],
  contracts: OutboxContracts,
  publisher: EventPublisherPort,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { published: [], setAside: [] };
  for (const row of rows) {
    const contract = contracts.find(row.eventType, row.schemaVersion);
    if (!contract) {
      // Most likely written by a newer replica mid-deploy: leave it to one that knows it.
      outcome.failed = { row, error: new UnknownOutboxContract(row.eventType, row.schemaVersion) };
      return outcome;
    }
    const problem = invalidity(contract, row.envelope);
    if (problem !== undefined) {
      outcome.setAside.push({ row, reason: problem });
      continue;
    }
    try {
      await context.with(traceContextOf(row.headers), () =>
        publisher.publish(contract, row.envelope as EventOf<EventContract>),
      );
      outcome.published.push(row);
    } catch (error) {
      if (isPermanent(error)) {
        outcome.setAside.push({ row, reason: describe(error) });
        continue;
      }
      outcome.failed = { row, error };
      return outcome;
    }
  }
  return outcome;
}

/** Why the stored envelope cannot be published under its contract, if it cannot. */
function invalidity(contract: EventContract, envelope: unknown): string | undefined {
  try {
    subjectOf(contract, parseEvent(contract, envelope));
    return undefined;
  } catch (error) {
    if (isPermanent(error)) return describe(error);
    throw error;
  }
}

function isPermanent(error: unknown): boolean {
  return error instanceof SchemaViolation || error instanceof InvalidSubjectToken;
}
