import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { EventPublisherPort } from '@confer/bus';
import { ReadinessRegistry } from '@confer/telemetry';
import { DataSource, QueryRunner } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { ClientConfig } from 'pg';
import { OutboxContracts } from './outbox-contracts';
import { OutboxListener } from './outbox-listener';
import { OutboxMetrics, OutboxStats } from './outbox-metrics';
import { ResolvedOutboxOptions } from './outbox.options';
import { OutboxNotMigrated, describe } from './outbox.errors';
import { OUTBOX_OPTIONS } from './outbox.tokens';
import { relayBackoffMs } from './relay-backoff';
import { BatchOutcome, PendingRow, publishInOrder } from './relay-batch';
import {
  CHANNEL_QUERY,
  DELETE_PUBLISHED,
  PENDING_STATS,
  RECORD_FAILURE,
  SET_ASIDE,
  TABLE_EXISTS,
  TAKE_BATCH,
  TRY_RELAY_LOCK,
} from './outbox-sql';

const logger = new Logger('Outbox');

/** What one relay transaction did; `busy` when another replica holds the relay lock. */
type BatchResult = { kind: 'busy' } | { kind: 'done'; taken: number; outcome: BatchOutcome };

interface Pause {
  ms: number;
  /** Whether a notification ends it early. */
  wakeable: boolean;
}

interface Sleeper {
  wake(): void;
  wakeable: boolean;
}

interface TakenRow {
  seq: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  envelope: unknown;
  headers: PendingRow['headers'];
}

/**
 * Publishes the outbox to JetStream while the app runs, in seq order, deleting each row in
 * the transaction that took it. One replica relays at a time (a transaction-scoped advisory
 * lock per schema): no two replicas ever publish the same row, and an event committed after
 * another is published after it whichever replica relays each, which plain SKIP LOCKED batches
 * would not ensure. The rows are also locked FOR UPDATE SKIP LOCKED.
 * A crash after publishing but before commit leaves the rows queued: the next relay publishes
 * them again and JetStream drops the copies by message id (inside its duplicate window).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #metrics = new OutboxMetrics();
  #schema = '';
  #listener?: OutboxListener;
  #loop?: Promise<void>;
  #sleeper?: Sleeper;
  #stopping = false;
  /** A notification arrived since the current batch began: look again before sleeping. */
  #notified = false;
  #failures = 0;
  #cleanups: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisherPort,
    private readonly contracts: OutboxContracts,
    @Inject(OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.#loop || this.#stopping) return;
    const [{ channel, schema }] = (await this.dataSource.query(CHANNEL_QUERY)) as {
      channel: string;
      schema: string;
    }[];
    this.#schema = schema;
    const [{ present }] = (await this.dataSource.query(TABLE_EXISTS)) as { present: boolean }[];
    if (!present) throw new OutboxNotMigrated(schema);

    this.#cleanups.push(this.#metrics.observe(() => this.stats(), { schema }));
    const maxLag = this.options.readinessMaxLagMs;
    if (this.readiness && maxLag !== undefined) {
      this.#cleanups.push(this.readiness.register('outbox', () => this.#checkLag(maxLag)));
    }
    this.#listener = await OutboxListener.create({
      connection: listenerConnectionOf(this.dataSource),
      channel,
      onNotify: () => this.#onNotify(),
    });
    this.#loop = this.#run();
  }

  /** Stops relaying when the app shuts down, before the bus drains and the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops the loop and waits (bounded by shutdownTimeoutMs) for the batch in flight. Rows
   * not yet published stay queued for another replica or the next start. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#sleeper?.wake();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (this.#loop && (await settlesWithin(this.#loop, this.options.shutdownTimeoutMs)) === 'timeout') {
      logger.warn({
        message: 'outbox batch still in flight at shutdown; leaving it',
        schema: this.#schema,
        timeoutMs: this.options.shutdownTimeoutMs,
      });
    }
    await this.#listener?.close();
  }

  /** Pending rows and the age of the oldest, as the gauges and the readiness check see them. */
  async stats(): Promise<OutboxStats> {
    const [row] = (await this.dataSource.query(PENDING_STATS)) as {
      pending: number;
      oldest_age_ms: number | null;
    }[];
    return { pending: row.pending, oldestAgeMs: row.oldest_age_ms };
  }

  async #checkLag(maxLagMs: number): Promise<void> {
    const { pending, oldestAgeMs } = await this.stats();
    if (oldestAgeMs !== null && oldestAgeMs > maxLagMs) {
      throw new Error(
        `${pending} event(s) waiting, the oldest for ${Math.round(oldestAgeMs / 1000)} s (limit ${maxLagMs / 1000} s)`,
      );
    }
  }

  #onNotify(): void {
    this.#notified = true;
    if (this.#sleeper?.wakeable) this.#sleeper.wake();
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#notified = false;
      let pause: Pause;
      try {
        pause = this.#afterBatch(await this.#relayBatch());
      } catch (error) {
        // The database itself failed us (connection lost, lock timeout...): same back-off.
        pause = this.#afterFailure({ message: 'outbox relay batch failed', error: describe(error) });
      }
      if (pause.ms > 0) await this.#sleep(pause.ms, pause.wakeable);
    }
  }

  /** How long to wait before the next batch, given what this one did. */
  #afterBatch(result: BatchResult): Pause {
    // The lock holder hears the same notifications and will look again itself; waking for
    // them here would only retry the lock once per write. The poll covers its death.
    if (result.kind === 'busy') return { ms: this.options.pollIntervalMs, wakeable: false };
    const { outcome, taken } = result;
    for (const row of outcome.published) {
      this.#metrics.published.add(1, { event_type: row.eventType, schema_version: row.schemaVersion });
    }
    for (const { row, reason } of outcome.setAside) {
      this.#metrics.setAside.add(1, { event_type: row.eventType, schema_version: row.schemaVersion });
      logger.error({
        message: 'outbox event set aside in event_outbox_dead: its stored envelope cannot be published',
        schema: this.#schema,
        seq: row.seq,
        eventId: row.eventId,
        eventType: row.eventType,
        schemaVersion: row.schemaVersion,
        orgId: orgIdOf(row.envelope),
        reason,
      });
    }
    if (outcome.failed) {
      return this.#afterFailure({
        message: 'outbox publication failed; the event stays queued',
        seq: outcome.failed.row.seq,
        eventId: outcome.failed.row.eventId,
        eventType: outcome.failed.row.eventType,
        orgId: orgIdOf(outcome.failed.row.envelope),
        error: describe(outcome.failed.error),
      });
    }
    if (this.#failures > 0) {
      logger.log({ message: 'outbox relay recovered', schema: this.#schema, failedBatches: this.#failures });
      this.#failures = 0;
    }
    // A full batch means there is probably more; a notification during it means there is.
    const more = taken === this.options.batchSize || this.#notified;
    return { ms: more ? 0 : this.options.pollIntervalMs, wakeable: true };
  }

  /** A back-off is not cut short by notifications: writes keep coming while the bus is down. */
  #afterFailure(context: Record<string, unknown>): Pause {
    this.#failures += 1;
    this.#metrics.failedBatches.add(1);
    const delayMs = relayBackoffMs(this.#failures, {
      initialMs: this.options.initialBackoffMs,
      maxMs: this.options.maxBackoffMs,
    });
    logger.warn({ ...context, schema: this.#schema, failedBatches: this.#failures, retryInMs: delayMs });
    return { ms: delayMs, wakeable: false };
  }

  /** One transaction: take the head of the queue, publish it in order, remove what went out. */
  async #relayBatch(): Promise<BatchResult> {
    const q = this.dataSource.createQueryRunner();
    try {
      await q.connect();
      await q.startTransaction();
      const [{ locked }] = (await q.query(TRY_RELAY_LOCK)) as { locked: boolean }[];
      if (!locked) {
        await q.commitTransaction();
        return { kind: 'busy' };
      }
      const rows = ((await q.query(TAKE_BATCH, [this.options.batchSize])) as TakenRow[]).map(toPendingRow);
      const outcome = await publishInOrder(rows, this.contracts, this.publisher);
      await this.#record(q, outcome);
      await q.commitTransaction();
      return { kind: 'done', taken: rows.length, outcome };
    } catch (error) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await q.release();
    }
  }

  async #record(q: QueryRunner, outcome: BatchOutcome): Promise<void> {
    for (const { row, reason } of outcome.setAside) await q.query(SET_ASIDE, [row.seq, reason]);
    if (outcome.published.length > 0) {
      await q.query(DELETE_PUBLISHED, [outcome.published.map((row) => row.seq)]);
    }
    if (outcome.failed) {
      await q.query(RECORD_FAILURE, [outcome.failed.row.seq, describe(outcome.failed.error)]);
    }
  }

  #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.#sleeper === sleeper) this.#sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      const sleeper: Sleeper = { wake, wakeable };
      this.#sleeper = sleeper;
    });
  }
}

function toPendingRow(row: TakenRow): PendingRow {
  return {
    seq: row.seq,
    eventId: row.event_id,
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    envelope: row.envelope,
    headers: row.headers,
  };
}

function orgIdOf(envelope: unknown): string | undefined {
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const orgId = (envelope as Record<string, unknown>)['orgid'];
  return typeof orgId === 'string' ? orgId : undefined;
}

/** The LISTEN connection goes where the DataSource's pool goes. */
function listenerConnectionOf(dataSource: DataSource): ClientConfig {
  const o = dataSource.options as PostgresConnectionOptions;
  return {
    connectionString: o.url,
    host: o.host,
    port: o.port,
    user: o.username,
    password: o.password,
    database: o.database,
    // TypeORM types `ssl` as server-side TlsOptions, yet hands it to pg unchanged; so do we.
    ssl: o.ssl as ClientConfig['ssl'],
  };
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<'settled' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'settled' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
