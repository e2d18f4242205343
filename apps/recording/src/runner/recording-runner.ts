import { Logger } from '@nestjs/common';
import { mkdir } from 'fs/promises';
import { join } from 'path';
import type { CompositeOptions, CompletedPart, RoomComposite } from '../compositor/room-composite';
import { completeInterruptedPart } from '../compositor/interrupted-part';
import type { RoomMediaSession } from '../media-feed/room-media-session';
import { PartRow, RecordingRow } from '../recordings/recording.rows';
import { RecordingsStore } from '../recordings/recordings.store';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import { messageOf, PartKeeper, PartNotStored } from './part-files';
import { RecordingFinisher } from './recording-finisher';

export interface RunnerDeps {
  store: RecordingsStore;
  settings: OrgRecordingSettingsStore;
  parts: PartKeeper;
  finisher: RecordingFinisher;
  openMedia(recording: RecordingRow): RoomMediaSession;
  startComposite(
    media: RoomMediaSession,
    firstPartDir: string,
    options: CompositeOptions,
  ): Promise<RoomComposite>;
  compositeOptions: CompositeOptions;
  /**
   * Keeps each finished segment of a part in the store while the part is recorded (see
   * SegmentShipper); reports an upload that failed for good. None: parts are stored only
   * when they complete.
   */
  shipSegments?(part: PartRow, onFailure: (error: unknown) => void): Shipping;
  workDir: string;
  owner: string;
  leaseSeconds: number;
}

/** A part's segments being kept as they are written; stopped before the part is stored. */
export interface Shipping {
  stop(): Promise<void>;
}

/** How often the runner renews its lease, looks for a stop request and checks the part length. */
const TICK_MS = 1000;

/**
 * Runs one recording on this replica: the room's media into a composite, cut into parts of at
 * most maxPartSeconds, each kept as it completes; ends on a stop request (from any replica,
 * through the database) or a failure. Losing its lease (another replica took over, or no
 * renewal got through for most of the lease) ends it without touching the recording further:
 * two replicas never go on recording one room.
 */
export class RecordingRunner {
  private readonly logger = new Logger(RecordingRunner.name);
  private media?: RoomMediaSession;
  private composite?: RoomComposite;
  private part?: PartRow;
  /** The current part's segments going to the store. */
  private shipping?: Shipping;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private ending = false;
  private wakeUp?: () => void;
  private finished?: () => void;
  private heartbeat?: NodeJS.Timeout;
  /** When a renewal last got through (monotonic clock). */
  private renewedAt = performance.now();
  private handingOver = false;
  /** The previous part being kept (stored) while the next one records. */
  private keeping: Promise<void> = Promise.resolve();
  private keepFailure?: string;
  readonly done: Promise<void>;

  constructor(
    private readonly deps: RunnerDeps,
    private recording: RecordingRow,
  ) {
    // The lease is held for the runner's whole life, finishing the last part included: a
    // lapse while it is still at work would have another replica take the recording over.
    this.heartbeat = setInterval(() => void this.renew(), TICK_MS);
    this.done = this.run()
      .catch((error: unknown) =>
        this.logger.error({
          message: 'recording runner failed',
          recordingId: recording.id,
          error: String(error),
        }),
      )
      .finally(() => clearInterval(this.heartbeat));
  }

  /**
   * Renews the lease. Answers the recording, or undefined once it is no longer ours; a
   * database error answers the last known state, until the lease has mostly run out.
   */
  private async renew(): Promise<RecordingRow | undefined> {
    let row: RecordingRow | undefined;
    try {
      row = await this.deps.store.renewLease(this.recording.id, this.deps.owner, this.deps.leaseSeconds);
    } catch {
      const unrenewedMs = performance.now() - this.renewedAt;
      row = unrenewedMs < this.deps.leaseSeconds * 600 ? this.recording : undefined;
    }
    if (!row) {
      void this.abandon();
      return undefined;
    }
    if (row !== this.recording) this.renewedAt = performance.now();
    this.recording = row;
    return row;
  }

  /** No longer ours: stop recording without touching the recording, whose new owner goes on. */
  private async abandon(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.logger.warn({ message: 'lease lost: letting the recording go', recordingId: this.recording.id });
    await this.shipping?.stop();
    await this.composite?.finish().catch(() => undefined);
    await this.media?.close().catch(() => undefined);
    this.finished?.();
  }

  get id(): string {
    return this.recording.id;
  }

  /** A stop was requested: look now rather than at the next tick. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * This replica is shutting down: finish the current part whole and give the recording back
   * (lease lapsed at once) so a replica, or this one restarted, goes on with a new part.
   */
  async handOver(): Promise<void> {
    // Done by the runner itself at its next step (after a roll under way, say).
    this.handingOver = true;
    this.wake();
    return this.done;
  }

  private async giveBack(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    clearInterval(this.timer);
    try {
      await this.keeping;
      const completed = await this.composite?.finish();
      await this.shipping?.stop();
      await this.media?.close();
      if (completed && this.part) await this.deps.parts.keep(this.recording, this.part, completed);
      clearInterval(this.heartbeat);
      await this.deps.store.updateRecording(this.deps.store.dataSourceManager(), this.recording.id, {
        lease_until: new Date(Date.now() - 1000),
        owner: null,
      });
    } catch (error) {
      this.logger.error({
        message: 'hand-over failed',
        recordingId: this.recording.id,
        error: String(error),
      });
    }
    this.finished?.();
  }

  private async run(): Promise<void> {
    const { maxPartSeconds } = await this.deps.settings.get(this.recording.org_id);
    try {
      this.media = this.deps.openMedia(this.recording);
      await this.media.start();
      this.part = await this.newPart();
      this.shipping = this.ship(this.part);
      this.composite = await this.deps.startComposite(
        this.media,
        this.part.work_dir,
        this.deps.compositeOptions,
      );
      this.media.on('roster', (roster) => this.composite?.updateRoster(roster));
      this.composite.on('error', (error: Error) => void this.fail(error.message));
    } catch (error) {
      await this.fail(`could not start recording: ${messageOf(error)}`);
      return;
    }
    if (this.ending) {
      // The lease went while starting: let go of what was started since.
      await this.shipping?.stop();
      await this.composite.finish().catch(() => undefined);
      await this.media.close().catch(() => undefined);
      return;
    }
    if (this.handingOver) return this.giveBack();
    this.logger.log({ message: 'recording', recordingId: this.recording.id, roomId: this.recording.room_id });
    await new Promise<void>((resolve) => {
      this.finished = resolve;
      this.wakeUp = () => void this.tick(maxPartSeconds, resolve);
      this.timer = setInterval(() => void this.tick(maxPartSeconds, resolve), TICK_MS);
    });
  }

  private async tick(maxPartSeconds: number, finished: () => void): Promise<void> {
    if (this.ticking || this.ending) return;
    this.ticking = true;
    try {
      if (this.handingOver) {
        await this.giveBack();
        return;
      }
      const row = await this.renew();
      if (!row || row.status !== 'recording') {
        // Taken over elsewhere, or deleted: let go without touching it.
        await this.abandon();
        return;
      }
      if (row.stop_requested_at) {
        try {
          await this.stop();
        } catch (error) {
          this.logger.error({
            message: 'could not finish a recording',
            recordingId: row.id,
            error: String(error),
          });
          await this.deps.finisher
            .failed(this.recording, `could not finish: ${messageOf(error)}`)
            .catch(() => undefined);
        }
        finished();
        return;
      }
      if (this.part && Date.now() - this.part.started_at.getTime() >= maxPartSeconds * 1000)
        await this.roll();
    } catch (error) {
      this.logger.warn({
        message: 'recording tick failed',
        recordingId: this.recording.id,
        error: String(error),
      });
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Cuts the recording: the next part begins as the previous one is kept. A part that cannot
   * be written or stored (a full disk, an unwritable store) fails this recording, and only it.
   */
  private async roll(): Promise<void> {
    const previous = this.part!;
    // A database error here has changed nothing yet: the next tick tries again.
    const next = await this.deps.store.insertPart(
      this.deps.store.dataSourceManager(),
      this.recording.id,
      (n) => this.partDir(n),
    );
    try {
      await mkdir(next.work_dir, { recursive: true });
    } catch (error) {
      await this.deps.parts.discard(next).catch(() => undefined);
      return this.fail(`could not write part ${next.part_number}: ${messageOf(error)}`);
    }
    const previousShipping = this.shipping;
    const nextShipping = this.ship(next);
    let completed: CompletedPart;
    try {
      completed = await this.composite!.rollPart(next.work_dir);
    } catch (error) {
      this.part = next;
      this.shipping = nextShipping;
      await previousShipping?.stop();
      if (this.ending) await nextShipping?.stop();
      await this.deps.parts.discard(previous).catch(() => undefined);
      return this.fail(`could not finish part ${previous.part_number}: ${messageOf(error)}`);
    }
    this.part = next;
    this.shipping = nextShipping;
    // Its segments kept so far are not sent again when it is stored whole.
    await previousShipping?.stop();
    // Failed or let go meanwhile: what ended the recording has finished the new part too.
    if (this.ending) await nextShipping?.stop();
    // Stored in the background (an upload can take minutes): a stop meanwhile is not kept
    // waiting, and waits for it only before the recording is declared ready.
    const recording = this.recording;
    this.keeping = this.keeping.then(() =>
      this.deps.parts.keep(recording, previous, completed).catch((error: unknown) => {
        // Remembered for a stop under way (which then fails); not awaited: fail() waits for this very promise.
        this.keepFailure ??= messageOf(error);
        void this.fail(messageOf(error));
      }),
    );
  }

  private async stop(): Promise<void> {
    this.ending = true;
    clearInterval(this.timer);
    let notStopped: unknown;
    // The composite is finished and the media let go whatever happens to the database write.
    await this.deps.finisher.stopped(this.recording).catch((error: unknown) => (notStopped = error));
    let completed: CompletedPart | null;
    try {
      completed = await this.composite!.finish();
    } catch (error) {
      // Stopped before its first segment was written, say: keep what can be kept, if anything.
      completed = await completeInterruptedPart(this.part!.work_dir).catch(() => null);
      if (!completed)
        this.logger.warn({
          message: 'the last part had nothing to keep',
          recordingId: this.recording.id,
          error: String(error),
        });
    }
    await this.shipping?.stop();
    await this.media?.close().catch(() => undefined);
    if (notStopped) throw notStopped;
    await this.keeping;
    if (this.keepFailure) throw new Error(this.keepFailure);
    if (completed) await this.deps.parts.keep(this.recording, this.part!, completed);
    else await this.deps.parts.discard(this.part!);
    await this.deps.finisher.ready(this.recording);
    this.logger.log({ message: 'recording ready', recordingId: this.recording.id });
  }

  /** Fails the recording with a readable reason; what was recorded of the current part is kept. */
  private async fail(reason: string): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    clearInterval(this.timer);
    this.wakeUp = undefined;
    this.logger.error({ message: 'recording failed', recordingId: this.recording.id, reason });
    // Called from the composite's events too: nothing here may throw, or the process would
    // go down with an unhandled rejection, and every other recording with it.
    try {
      await this.keepWhatWasRecorded();
      await this.keeping;
      await this.deps.finisher.failed(this.recording, reason);
    } catch (error) {
      this.logger.error({
        message: 'could not mark a recording failed',
        recordingId: this.recording.id,
        error: String(error),
      });
    } finally {
      this.finished?.();
    }
  }

  /** The current part, as far as it was written, if it can still be stored. */
  private async keepWhatWasRecorded(): Promise<void> {
    let completed: CompletedPart | null = null;
    try {
      completed = (await this.composite?.finish()) ?? null;
    } catch {
      if (this.part) completed = await completeInterruptedPart(this.part.work_dir).catch(() => null);
    }
    await this.shipping?.stop();
    await this.media?.close().catch(() => undefined);
    try {
      if (this.part && completed) await this.deps.parts.keep(this.recording, this.part, completed);
      else if (this.part) await this.deps.parts.discard(this.part);
    } catch (error) {
      this.logger.error({
        message: 'could not keep the last part',
        recordingId: this.recording.id,
        error: String(error),
      });
      if (this.part) await this.deps.parts.discard(this.part).catch(() => undefined);
    }
  }

  /** Starts keeping the part's segments in the store as they are written; failing for good fails the recording. */
  private ship(part: PartRow): Shipping | undefined {
    return this.deps.shipSegments?.(part, (error) => {
      void this.fail(new PartNotStored(part.part_number, error).message);
    });
  }

  private async newPart(): Promise<PartRow> {
    const part = await this.deps.store.insertPart(
      this.deps.store.dataSourceManager(),
      this.recording.id,
      (n) => this.partDir(n),
    );
    await mkdir(part.work_dir, { recursive: true });
    return part;
  }

  private partDir(n: number): string {
    return join(this.deps.workDir, this.recording.id, `part-${n}`);
  }
}
