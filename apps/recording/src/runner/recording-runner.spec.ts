import { Logger } from '@nestjs/common';
import { EventEmitter } from 'events';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CompletedPart, RoomComposite } from '../compositor/room-composite';
import type { RoomMediaSession } from '../media-feed/room-media-session';
import type { PartRow, RecordingRow } from '../recordings/recording.rows';
import { PartKeeper, PartNotStored } from './part-files';
import { RecordingRunner, RunnerDeps } from './recording-runner';

// The runner's failure path with its collaborators faked: an encoder that dies (a full disk)
// and a store that refuses a part each end the recording `failed` with a readable reason.

const recording: RecordingRow = {
  id: 'rec-1',
  org_id: 'org_1',
  room_id: 'room-1',
  status: 'recording',
  trigger: 'api',
  started_by: null,
  started_at: new Date(),
  stop_requested_at: null,
  stop_reason: null,
  stopped_by: null,
  stopped_at: null,
  ready_at: null,
  progress: 0,
  failure_reason: null,
  owner: 'me',
  lease_until: null,
  expires_at: null,
  deleted_at: null,
  delete_reason: null,
};

function harness(maxPartSeconds = 3600) {
  const workDir = mkdtempSync(join(tmpdir(), 'runner-spec-'));
  let parts = 0;
  const composite = Object.assign(new EventEmitter(), {
    updateRoster: jest.fn(),
    finish: jest.fn(async (): Promise<CompletedPart> => completed(`part-${parts}`)),
    rollPart: jest.fn(async (): Promise<CompletedPart> => completed(`part-${parts - 1}`)),
  });
  const completed = (dir: string): CompletedPart => ({
    dir: join(workDir, dir),
    playlist: 'index.m3u8',
    mp4: 'video.mp4',
    durationSeconds: 2,
    startedAt: new Date(),
    endedAt: new Date(),
    interrupted: true,
  });
  const keeper = { keep: jest.fn(async () => undefined), discard: jest.fn(async () => undefined) };
  const finisher = {
    failed: jest.fn(async () => undefined),
    stopped: jest.fn(async () => undefined),
    ready: jest.fn(async () => undefined),
  };
  const media = Object.assign(new EventEmitter(), {
    start: jest.fn(async () => undefined),
    close: jest.fn(async () => undefined),
    roster: [],
  });
  const deps = {
    store: {
      dataSourceManager: () => ({}),
      renewLease: jest.fn(async () => recording),
      insertPart: jest.fn(
        async (_db: unknown, recordingId: string, dirOf: (n: number) => string): Promise<PartRow> => {
          parts++;
          return {
            id: `part-${parts}`,
            recording_id: recordingId,
            part_number: parts,
            status: 'recording',
            started_at: new Date(Date.now() - 10_000),
            work_dir: dirOf(parts),
          } as PartRow;
        },
      ),
      updateRecording: jest.fn(async () => undefined),
    },
    settings: { get: jest.fn(async () => ({ maxPartSeconds })) },
    parts: keeper as unknown as PartKeeper,
    finisher,
    openMedia: () => media as unknown as RoomMediaSession,
    startComposite: jest.fn(async () => composite as unknown as RoomComposite),
    compositeOptions: {},
    workDir,
    owner: 'me',
    leaseSeconds: 5,
  } as unknown as RunnerDeps;
  return { deps, composite, keeper, finisher, media };
}

describe('RecordingRunner failures', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it("fails the recording with the encoder's reason when the composite reports an error, keeping what was written", async () => {
    const { deps, composite, keeper, finisher, media } = harness();
    const runner = new RecordingRunner(deps, recording);
    await new Promise((r) => setTimeout(r, 50));
    const reason =
      'The recording encoder of room-1 stopped (exit code 1: Error writing segment-00003.ts: No space left on device)';
    composite.emit('error', new Error(reason));
    await runner.done;
    expect(finisher.failed).toHaveBeenCalledTimes(1);
    expect(finisher.failed).toHaveBeenCalledWith(expect.objectContaining({ id: 'rec-1' }), reason);
    expect(keeper.keep).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'rec-1' }),
      expect.objectContaining({ part_number: 1 }),
      expect.objectContaining({ interrupted: true }),
    );
    expect(media.close).toHaveBeenCalled();
  });

  it('fails the recording when a completed part cannot be stored, and stops recording', async () => {
    const { deps, composite, keeper, finisher } = harness(1);
    keeper.keep.mockRejectedValue(
      new PartNotStored(1, new Error("ENOTDIR: not a directory, mkdir '/srv/files'")),
    );
    const runner = new RecordingRunner(deps, recording);
    await runner.done;
    expect(composite.rollPart).toHaveBeenCalledTimes(1);
    expect(finisher.failed).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'rec-1' }),
      "could not store part 1: ENOTDIR: not a directory, mkdir '/srv/files'",
    );
    // The part being recorded was finished too, and let go of when it could not be kept either.
    expect(composite.finish).toHaveBeenCalled();
    expect(keeper.discard).toHaveBeenCalledWith(expect.objectContaining({ part_number: 2 }));
  });

  it('fails the recording when a segment cannot be kept while the part is recorded', async () => {
    const { deps, composite, keeper, finisher } = harness();
    const failures: ((error: unknown) => void)[] = [];
    const stops: number[] = [];
    (deps as { shipSegments: RunnerDeps['shipSegments'] }).shipSegments = (part, onFailure) => {
      failures[part.part_number] = onFailure;
      return { stop: jest.fn(async () => void stops.push(part.part_number)) };
    };
    let stoppedBeforeKeep: number[] = [];
    keeper.keep.mockImplementation(async () => {
      stoppedBeforeKeep = [...stops];
      throw new PartNotStored(1, new Error('could not upload segment-00003.ts: NoSuchBucket'));
    });
    const runner = new RecordingRunner(deps, recording);
    await waitFor(() => failures[1] !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    failures[1](new Error('could not upload segment-00002.ts to the bucket b: NoSuchBucket: gone'));
    await runner.done;
    expect(finisher.failed).toHaveBeenCalledTimes(1);
    expect(finisher.failed).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'rec-1' }),
      'could not store part 1: could not upload segment-00002.ts to the bucket b: NoSuchBucket: gone',
    );
    expect(composite.finish).toHaveBeenCalled();
    // The part's segment uploads were over before it was stored whole.
    expect(stoppedBeforeKeep).toEqual([1]);
    expect(keeper.discard).toHaveBeenCalledWith(expect.objectContaining({ part_number: 1 }));
  });

  it('never lets a failure escape as an unhandled rejection', async () => {
    const { deps, composite, finisher } = harness();
    finisher.failed.mockRejectedValue(new Error('database down'));
    const runner = new RecordingRunner(deps, recording);
    await new Promise((r) => setTimeout(r, 50));
    composite.emit('error', new Error('encoder stopped'));
    await expect(runner.done).resolves.toBeUndefined();
  });
});

describe('RecordingRunner lease and stops', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('lets the recording go untouched once its lease belongs to another replica', async () => {
    const { deps, composite, keeper, finisher, media } = harness();
    const runner = new RecordingRunner(deps, recording);
    await new Promise((r) => setTimeout(r, 50));
    (deps.store.renewLease as jest.Mock).mockResolvedValue(undefined);
    await runner.done;
    expect(composite.finish).toHaveBeenCalled();
    expect(media.close).toHaveBeenCalled();
    // Nothing written: the new owner keeps the part and decides the recording's end.
    expect(keeper.keep).not.toHaveBeenCalled();
    expect(finisher.failed).not.toHaveBeenCalled();
    expect(finisher.stopped).not.toHaveBeenCalled();
  });

  it('stops at once while the previous part is still being stored, and is ready only after it is', async () => {
    const { deps, composite, keeper, finisher } = harness(1);
    let stored!: () => void;
    keeper.keep.mockImplementationOnce(() => new Promise<undefined>((r) => (stored = () => r(undefined))));
    const runner = new RecordingRunner(deps, recording);
    // The first tick rolls (the part is older than maxPartSeconds): its storing hangs.
    await waitFor(() => composite.rollPart.mock.calls.length === 1);
    const stopping = { ...recording, stop_requested_at: new Date() };
    (deps.store.renewLease as jest.Mock).mockResolvedValue(stopping);
    runner.wake();
    await waitFor(() => finisher.stopped.mock.calls.length === 1 && composite.finish.mock.calls.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(finisher.ready).not.toHaveBeenCalled();
    stored();
    await runner.done;
    expect(finisher.ready).toHaveBeenCalledTimes(1);
    expect(keeper.keep.mock.calls.map((c) => (c as unknown[])[1])).toEqual([
      expect.objectContaining({ part_number: 1 }),
      expect.objectContaining({ part_number: 2 }),
    ]);
  });

  it('stops keeping segments of a part before storing it whole, at a cut and at the stop', async () => {
    const { deps, composite, keeper, finisher } = harness(1);
    const events: string[] = [];
    (deps as { shipSegments: RunnerDeps['shipSegments'] }).shipSegments = (part) => {
      events.push(`ship ${part.part_number}`);
      return { stop: async () => void events.push(`stop ${part.part_number}`) };
    };
    (keeper.keep as jest.Mock).mockImplementation(async (_r: unknown, part: PartRow) => {
      events.push(`keep ${part.part_number}`);
    });
    const runner = new RecordingRunner(deps, recording);
    await waitFor(() => events.includes('keep 1'));
    (deps.store.renewLease as jest.Mock).mockResolvedValue({ ...recording, stop_requested_at: new Date() });
    runner.wake();
    await runner.done;
    expect(composite.rollPart).toHaveBeenCalledTimes(1);
    expect(events).toEqual(['ship 1', 'ship 2', 'stop 1', 'keep 1', 'stop 2', 'keep 2']);
    expect(finisher.ready).toHaveBeenCalledTimes(1);
  });

  it('hands the recording over on shutdown: the current part kept whole, the lease given back', async () => {
    const { deps, keeper, finisher } = harness();
    const runner = new RecordingRunner(deps, recording);
    await new Promise((r) => setTimeout(r, 50));
    await runner.handOver();
    expect(keeper.keep).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'rec-1' }),
      expect.objectContaining({ part_number: 1 }),
      expect.anything(),
    );
    expect(deps.store.updateRecording).toHaveBeenCalledWith(
      expect.anything(),
      'rec-1',
      expect.objectContaining({ owner: null }),
    );
    expect(finisher.stopped).not.toHaveBeenCalled();
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
