import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { NatsConnection } from 'nats';
import { CommandClient, NATS_CONNECTION } from '@confer/bus';
import { OutboxWriter } from '@confer/outbox';
import { RoomComposite } from '../compositor/room-composite';
import { instanceIdOf, RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';
import { RoomMediaSession } from '../media-feed/room-media-session';
import { RecordingRow } from '../recordings/recording.rows';
import { RecordingsStore } from '../recordings/recordings.store';
import { RoomLifeStore } from '../rooms/room-life.store';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import { RecordingStorage } from '../storage/recording-storage.port';
import { compositeOptionsOf } from './composite-options';
import { PartKeeper, PartNotStored } from './part-files';
import { PartRecovery } from './part-recovery';
import { RecordingFinisher } from './recording-finisher';
import { RecordingRunner, RunnerDeps } from './recording-runner';
import { RecordingMetrics } from './recording.metrics';
import { SegmentShipper } from './segment-shipper';

/** How often this replica looks for recordings whose replica died. */
const ORPHAN_SCAN_MS = 1000;

/**
 * The recordings this replica runs, and the take-over of those whose replica died: their
 * interrupted part is kept (marked so), and a recording whose room is still live and still
 * meant to be recorded goes on here with a new part.
 */
@Injectable()
export class RecordingSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RecordingSupervisor.name);
  private readonly runners = new Map<string, RecordingRunner>();
  private readonly deps: RunnerDeps;
  private readonly parts: PartKeeper;
  private readonly finisher: RecordingFinisher;
  private readonly recovery: PartRecovery;
  private readonly metrics: RecordingMetrics;
  private scanTimer?: NodeJS.Timeout;
  private scanning = false;
  private stopping = false;

  constructor(
    private readonly store: RecordingsStore,
    private readonly rooms: RoomLifeStore,
    settings: OrgRecordingSettingsStore,
    storage: RecordingStorage,
    outbox: OutboxWriter,
    commands: CommandClient,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(RECORDING_CONFIG) config: RecordingConfig,
  ) {
    this.metrics = new RecordingMetrics(() => this.runners.size);
    this.parts = new PartKeeper(store, storage, outbox, this.metrics);
    this.finisher = new RecordingFinisher(store, outbox, settings, this.metrics);
    this.recovery = new PartRecovery(storage, config.RECORDING_WORK_DIR);
    this.deps = {
      store,
      settings,
      parts: this.parts,
      finisher: this.finisher,
      openMedia: (r) =>
        new RoomMediaSession(nc, commands, { orgId: r.org_id, roomId: r.room_id, recordingId: r.id }),
      startComposite: (media, dir, options) => RoomComposite.start(media, media.roster, dir, options),
      compositeOptions: compositeOptionsOf(config),
      shipSegments: (part, onFailure) => new SegmentShipper(storage, part.file_id, part.work_dir, onFailure),
      workDir: config.RECORDING_WORK_DIR,
      owner: instanceIdOf(config),
      leaseSeconds: config.RECORDING_LEASE_SECONDS,
    };
  }

  onApplicationBootstrap(): void {
    this.metrics.start();
    this.scanTimer = setInterval(() => void this.scan(), ORPHAN_SCAN_MS);
    this.scanTimer.unref();
  }

  /** Runs a recording this replica just started (or took over). */
  launch(recording: RecordingRow): void {
    if (this.stopping || this.runners.has(recording.id)) return;
    const runner = new RecordingRunner(this.deps, recording);
    this.runners.set(recording.id, runner);
    void runner.done.finally(() => this.runners.delete(recording.id));
  }

  wake(recordingId: string): void {
    this.runners.get(recordingId)?.wake();
  }

  get running(): number {
    return this.runners.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.scanTimer);
    await Promise.all([...this.runners.values()].map((r) => r.handOver()));
  }

  private async scan(): Promise<void> {
    if (this.scanning || this.stopping) return;
    this.scanning = true;
    try {
      for (let i = 0; i < 10; i++) {
        // Never one this replica runs itself (its lease may lapse under a stalled event loop).
        const orphan = await this.store.claimOrphan(this.deps.owner, this.deps.leaseSeconds, [
          ...this.runners.keys(),
        ]);
        if (!orphan) break;
        await this.takeOver(orphan);
      }
    } catch (error) {
      this.logger.warn({ message: 'orphan scan failed', error: String(error) });
    } finally {
      this.scanning = false;
    }
  }

  /** Keeps the lease just claimed while the interrupted part is made playable (minutes for a long part). */
  private async takeOver(recording: RecordingRow): Promise<void> {
    const heartbeat = setInterval(
      () =>
        void this.store
          .renewLease(recording.id, this.deps.owner, this.deps.leaseSeconds)
          .catch(() => undefined),
      1000,
    );
    try {
      await this.completeTakeOver(recording);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async completeTakeOver(recording: RecordingRow): Promise<void> {
    this.logger.log({
      message: 'taking over a recording',
      recordingId: recording.id,
      status: recording.status,
    });
    const parts = await this.store.parts(this.store.dataSourceManager(), [recording.id]);
    for (const part of parts.filter((p) => p.status === 'recording' || p.status === 'processing')) {
      // From the store, where its segments were kept as they were written (a store that
      // cannot be read now throws: the recording is taken over again once the lease lapses).
      const completed = await this.recovery.recover(part);
      try {
        if (completed) await this.parts.keep(recording, part, completed);
        else await this.parts.discard(part);
      } catch (error) {
        // The store refuses the part (full, unwritable): the recording fails with the reason,
        // rather than being taken over again and again.
        if (!(error instanceof PartNotStored)) throw error;
        return this.finisher.failed(recording, error.message);
      }
    }
    if (recording.status === 'processing') return this.finisher.ready(recording);
    if (!recording.stop_requested_at && (await this.stillWanted(recording))) return this.launch(recording);
    const reason = recording.stop_reason ?? 'room_ended';
    await this.finisher.stopped({ ...recording, stop_reason: reason });
    await this.finisher.ready(recording);
  }

  /** Whether to go on: the room is live, or an auto-recording is waiting out its stop delay. */
  private async stillWanted(recording: RecordingRow): Promise<boolean> {
    if (await this.rooms.isLive(recording.org_id, recording.room_id)) return true;
    return (
      recording.trigger === 'auto' && (await this.rooms.stopPending(recording.org_id, recording.room_id))
    );
  }
}
