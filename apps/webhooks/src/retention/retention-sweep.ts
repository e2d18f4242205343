import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { CONSUMER_PROGRESS, ConsumerProgress } from '../intake/release/consumer-progress.port';
import { takeReleaseLock } from '../intake/release/release-lock';

/** Rows deleted per statement, so that a large backlog never holds long locks. */
const CHUNK = 5000;

export interface PruneResult {
  deliveries: number;
  bodies: number;
  intakeMarks: number;
  endedConferences: number;
  laneCounters: number;
}

/**
 * Deletes what the service no longer needs, every WEBHOOK_PRUNE_INTERVAL_MS:
 * - settled deliveries (delivered, failed, expired) recorded and last changed more than
 *   WEBHOOK_LOG_RETENTION_SECONDS ago: the delivery log, and redelivery, cover that window;
 *   held and pending deliveries are never pruned, however old;
 * - event bodies no delivery refers to any more;
 * - intake marks older than WEBHOOKS_INTAKE_RETENTION_SECONDS whose event the consumer's
 *   ack floor has passed: such an event cannot be handed out again, so its mark has done
 *   its work (a mark still needed for de-duplication is kept, however old);
 * - conferences that ended longer ago than that: no start of theirs can still arrive;
 * - the sequence counters of lanes (endpoint and room) that took no number for longer than
 *   WEBHOOK_LOG_RETENTION_SECONDS and have nothing held or pending: the log that showed
 *   their numbers is gone, and a room that speaks to the endpoint again starts at 1.
 *   Under the release's lock, so that no release numbers the lane meanwhile.
 * Safe on every replica at once: each chunk skips rows another replica is deleting.
 */
@Injectable()
export class RetentionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(RetentionSweep.name);
  #timer?: NodeJS.Timeout;
  #running?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    @Inject(CONSUMER_PROGRESS) private readonly progress: ConsumerProgress,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.prune().finally(() => (this.#running = undefined));
    }, this.config.WEBHOOK_PRUNE_INTERVAL_MS);
    this.#timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async prune(): Promise<PruneResult> {
    const result: PruneResult = {
      deliveries: 0,
      bodies: 0,
      intakeMarks: 0,
      endedConferences: 0,
      laneCounters: 0,
    };
    try {
      const log = String(this.config.WEBHOOK_LOG_RETENTION_SECONDS);
      result.deliveries = await this.inChunks(
        `DELETE FROM deliveries WHERE id IN (
           SELECT id FROM deliveries
            WHERE created_at < now() - ($1 || ' seconds')::interval
              AND updated_at < now() - ($1 || ' seconds')::interval
              AND status IN ('delivered', 'failed', 'expired')
            LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)`,
        [log],
      );
      result.bodies = await this.inChunks(
        `DELETE FROM event_bodies WHERE event_id IN (
           SELECT b.event_id FROM event_bodies b
            WHERE b.created_at < now() - ($1 || ' seconds')::interval
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = b.event_id)
            LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)`,
        [log],
      );
      const floor = await this.progress.ackFloor();
      result.intakeMarks = await this.inChunks(
        `DELETE FROM intake_events WHERE event_id IN (
           SELECT event_id FROM intake_events
            WHERE taken_at < now() - ($1 || ' seconds')::interval AND stream_seq <= $2
            LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)`,
        [String(this.config.WEBHOOKS_INTAKE_RETENTION_SECONDS), floor],
      );
      result.endedConferences = await this.inChunks(
        `DELETE FROM live_conferences WHERE (org_id, room_id) IN (
           SELECT org_id, room_id FROM live_conferences
            WHERE ended_at < now() - ($1 || ' seconds')::interval
            LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)`,
        [String(this.config.WEBHOOKS_INTAKE_RETENTION_SECONDS)],
      );
      result.laneCounters = await this.pruneIdleLaneCounters(log);
      if (Object.values(result).some((n) => n > 0))
        this.#logger.log({ msg: 'pruned past retention', ...result });
    } catch (error) {
      this.#logger.error({ msg: 'pruning failed; will try again', error: String(error), ...result });
    }
    return result;
  }

  private async pruneIdleLaneCounters(retentionSeconds: string): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.db.transaction(async (tx) => {
        await takeReleaseLock(tx);
        const [, deleted] = (await tx.query(
          `DELETE FROM lane_sequences WHERE (target, lane) IN (
             SELECT l.target, l.lane FROM lane_sequences l
              WHERE l.updated_at < now() - ($1 || ' seconds')::interval
                AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.target = l.target AND d.lane = l.lane
                                   AND d.status IN ('held', 'pending'))
              LIMIT ${CHUNK})`,
          [retentionSeconds],
        )) as [unknown, number];
        return deleted;
      });
      total += count;
      if (count < CHUNK) return total;
    }
  }

  private async inChunks(sql: string, parameters: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = (await this.db.query(sql, parameters)) as [unknown, number];
      total += count;
      if (count < CHUNK) return total;
    }
  }
}
