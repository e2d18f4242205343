import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';
import { DeleteRecording } from '../recordings/delete-recording.service';
import { RecordingRow } from '../recordings/recording.rows';

const BATCH = 500;

/** Deletes the files of recordings past their organisation's retention (expires_at, set when they end). */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deletion: DeleteRecording,
    @Inject(RECORDING_CONFIG) private readonly config: RecordingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.RECORDING_RETENTION_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes what expired by `now`; answers how many recordings. */
  async sweep(now = new Date()): Promise<number> {
    let deleted = 0;
    const failed: string[] = [];
    try {
      for (;;) {
        // Batches until none is left, so a backlog is not left for the next sweep an hour on.
        const expired = (await this.dataSource.query(
          `SELECT * FROM recordings WHERE deleted_at IS NULL AND expires_at <= $1
           AND status IN ('ready', 'failed') AND NOT (id = ANY($2::uuid[]))
           ORDER BY expires_at LIMIT ${BATCH}`,
          [now, failed],
        )) as RecordingRow[];
        for (const recording of expired) {
          // One that cannot be deleted now is tried again at the next sweep, not blocking the rest.
          try {
            await this.deletion.execute(recording, 'retention');
            deleted++;
          } catch (error) {
            failed.push(recording.id);
            this.logger.error({
              message: 'could not delete an expired recording',
              recordingId: recording.id,
              error: String(error),
            });
          }
        }
        if (expired.length < BATCH) break;
      }
    } catch (error) {
      this.logger.error({ message: 'retention sweep failed', error: String(error) });
    }
    return deleted;
  }
}
