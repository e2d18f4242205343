import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AliasCredentialEntity } from '../alias-credential.entity';

const EVERY_MS = 10 * 60_000;
export const ALIAS_PURGE_BATCH = 1000;

/**
 * Deletes the secrets of aliases that expired more than a day ago; without it the
 * table keeps every alias ever made. The day of grace keeps a late token answered
 * "alias expired" rather than "no such alias", and leaves the rooms service time to
 * renew an alias that lapsed by mistake. Runs on every replica: each batch is a single
 * statement over at most ALIAS_PURGE_BATCH rows, so concurrent runs only overlap.
 */
@Injectable()
export class AliasCredentialPurge implements OnModuleInit, OnModuleDestroy {
  readonly #logger = new Logger(AliasCredentialPurge.name);
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.#timer = setInterval(() => void this.runOnce().catch(() => undefined), EVERY_MS);
    // Never the reason the process stays up.
    this.#timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Purges batch after batch until one comes back short; answers how many rows went. */
  runOnce(batch = ALIAS_PURGE_BATCH): Promise<number> {
    // One run at a time on this replica: a slow run is not overtaken by the next tick.
    this.#running ??= this.#purge(batch).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #purge(batch: number): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.purgeBatch(batch);
        total += deleted;
        if (deleted < batch) break;
      }
    } catch (error) {
      this.#logger.error({
        message: 'alias credential purge failed',
        deletedBefore: total,
        error: String(error),
      });
      throw error;
    }
    if (total > 0) this.#logger.log({ message: 'purged expired alias credentials', rows: total });
    return total;
  }

  /** One batch: at most `batch` credentials whose alias expired over a day ago. */
  async purgeBatch(batch: number): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(AliasCredentialEntity)
      .where(
        `alias_id IN (SELECT alias_id FROM alias_credentials WHERE expires_at < now() - interval '1 day' LIMIT :batch)`,
        { batch },
      )
      .execute();
    return result.affected ?? 0;
  }
}
