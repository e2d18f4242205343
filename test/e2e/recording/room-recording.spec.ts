import { mkdtempSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BuiltServiceProcess, spawnBuiltService } from '../../support/built-service.process';
import { SyntheticPeer, SyntheticPublish } from '../../support/synthetic-peer';
import {
  audioStream,
  isFastStart,
  meanVolumeDb,
  probeMedia,
  regionLuma,
  Region,
  videoStream,
} from '../../support/media-probe';
import { MediaFixture, startMediaFixture } from '../../integration/media/media-fixture';

// Recording a real call end to end: synthetic peers (ffmpeg's test pattern and a tone, sent
// as RTP) in a room of the real rooms and media services, and the recording service running
// as production runs it (its own process, so it can be killed). What is recorded is looked
// at with ffprobe and ffmpeg: codecs, size, sound, picture, layout, parts.

interface Part {
  partNumber: number;
  videoId: number;
  name: string;
  status: string;
  startedAt: string;
  durationSeconds: number | null;
  interrupted: boolean;
  hlsUrl: string | null;
  mp4Url: string | null;
}
interface Recording {
  id: string;
  status: string;
  trigger: string;
  startedAt: string;
  stoppedAt: string | null;
  durationSeconds: number;
  parts: Part[];
}

/** Background where no tile is drawn: a uniform colour, so its luma hardly varies. */
const isBackground = (l: { stdDev: number }) => l.stdDev < 6;
/** The test pattern (colour bars, gradients, a moving timecode) varies a lot. */
const isPicture = (l: { stdDev: number }) => l.stdDev > 20;

describe('recording a room', () => {
  jest.setTimeout(240_000);
  let fixture: MediaFixture;
  let recorder: BuiltServiceProcess;
  let recorderEnv: Record<string, string>;
  const peers: SyntheticPeer[] = [];
  const downloads = mkdtempSync(join(tmpdir(), 'confer-recorded-'));

  beforeAll(async () => {
    fixture = await startMediaFixture({ MEDIA_PLAIN_INGEST: 'true' });
    const files = mkdtempSync(join(tmpdir(), 'confer-recording-'));
    recorderEnv = {
      NATS_URL: fixture.f.auth.natsUrl,
      PUBLIC_URL: fixture.f.auth.env.PUBLIC_URL,
      AUTH_JWKS_URL: `${fixture.f.auth.baseUrl}/.well-known/jwks.json`,
      RECORDING_CONSUMER: `rec_${randomBytes(4).toString('hex')}`,
      RECORDING_WORK_DIR: join(files, 'work'),
      RECORDING_STORAGE_DIR: join(files, 'files'),
      RECORDING_LEASE_SECONDS: '3',
      DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
    };
    recorder = await spawnBuiltService('recording', recorderEnv);
  });

  afterAll(async () => {
    for (const peer of peers.splice(0)) await peer.close().catch(() => undefined);
    await recorder?.stop();
    await fixture?.close();
  });

  function api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${recorder.baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.f.accessToken}` },
    });
  }

  async function settings(change: Record<string, unknown>): Promise<void> {
    const response = await api(`/v1/orgs/${fixture.f.org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify(change),
    });
    expect(response.status).toBe(200);
  }

  async function peer(roomId: string, name: string, publish: SyntheticPublish = 'camera+microphone') {
    const join = await fixture.grantFor(`${name.toLowerCase()}-${randomBytes(2).toString('hex')}`, roomId);
    const joined = await SyntheticPeer.join({
      signalingUrl: fixture.media.signalingUrl,
      grant: join.grant.token,
      displayName: name,
      publish,
      publisher: { size: '640x360' },
    });
    peers.push(joined);
    return joined;
  }

  async function recording(id: string): Promise<Recording> {
    return (await (await api(`/v1/recordings/${id}`)).json()) as Recording;
  }

  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const ready = (id: string) =>
    until(
      async () => {
        const r = await recording(id);
        return r.status === 'ready' || r.status === 'failed' ? r : undefined;
      },
      60_000,
      'the recording to be ready',
    );

  /** A part's MP4, downloaded as a player would (addresses are on the public base URL). */
  async function download(part: Part): Promise<string> {
    const url = new URL(part.mp4Url!);
    const response = await fetch(`${recorder.baseUrl}${url.pathname}${url.search}`);
    expect(response.status).toBe(200);
    const file = join(downloads, `${part.videoId}.mp4`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return file;
  }

  /** Rooms come to life for the recording service through the rooms service's events. */
  async function start(roomId: string): Promise<Recording> {
    return until(
      async () => {
        const response = await api(`/v1/rooms/${roomId}/recordings`, { method: 'POST', body: '{}' });
        return response.status === 201 ? ((await response.json()) as Recording) : undefined;
      },
      10_000,
      'the recording to start',
    );
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** HLS segment files under a directory, however deep (the recorder's work directory). */
  async function segmentsOnDisk(dir: string): Promise<number> {
    const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
    return entries.filter((entry) => /segment-\d+\.ts$/.test(entry)).length;
  }

  it('records 20 seconds in 8-second parts: the picture follows the room, the sound is there', async () => {
    await settings({ maxPartSeconds: 8 });
    const room = `rec-${randomBytes(3).toString('hex')}`;
    await peer(room, 'Ana');
    await peer(room, 'Ben');
    const started = await start(room);
    await sleep(5000);
    await peer(room, 'Cai'); // a third tile: the grid goes from one row to two
    await sleep(8000);
    await peer(room, 'Screen', 'screen'); // the share takes the large tile
    await sleep(7000);
    expect((await api(`/v1/recordings/${started.id}/stop`, { method: 'POST', body: '{}' })).status).toBe(202);
    const done = await ready(started.id);
    await settings({ maxPartSeconds: 14400 });

    expect(done.status).toBe('ready');
    expect(done.parts.map((p) => [p.partNumber, p.status, p.interrupted])).toEqual([
      [1, 'ready', false],
      [2, 'ready', false],
      [3, 'ready', false],
    ]);
    const length = (Date.parse(done.stoppedAt!) - Date.parse(done.startedAt)) / 1000;
    const total = done.parts.reduce((sum, p) => sum + p.durationSeconds!, 0);
    expect(Math.abs(total - length)).toBeLessThan(1);
    expect(done.durationSeconds).toBeCloseTo(total, 2);

    const files: string[] = [];
    for (const part of done.parts) {
      expect(part.name).toBe(`Recording ${room} ${done.startedAt} part ${part.partNumber}`);
      const file = await download(part);
      files.push(file);
      const media = await probeMedia(file);
      expect(videoStream(media)).toMatchObject({ codecName: 'h264', width: 1280, height: 720 });
      expect(videoStream(media)!.fps).toBeCloseTo(30, 0);
      expect(audioStream(media)).toMatchObject({ codecName: 'aac' });
      expect(Math.abs(media.durationSeconds - part.durationSeconds!)).toBeLessThan(0.5);
      expect(await isFastStart(file)).toBe(true);
      expect(await meanVolumeDb(file)).toBeGreaterThan(-50);
      // A valid, closed HLS playlist whose segments are served.
      const hls = new URL(part.hlsUrl!);
      const playlist = await (await fetch(`${recorder.baseUrl}${hls.pathname}`)).text();
      expect(playlist).toMatch(/^#EXTM3U/);
      expect(playlist).toContain('#EXT-X-ENDLIST');
      const segments = playlist.split('\n').filter((l) => l.startsWith('segment-'));
      expect(segments.length).toBeGreaterThan(0);
      const first = await fetch(`${recorder.baseUrl}${new URL(segments[0], hls).pathname}`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('video/mp2t');
    }

    const bottomBand: Region = { x: 200, y: 560, width: 400, height: 100 };
    const topLeft: Region = { x: 40, y: 8, width: 560, height: 60 };
    // Part 1: Ana and Ben side by side, letterboxed: nothing drawn below them.
    expect(isBackground(await regionLuma(files[0], 3, bottomBand))).toBe(true);
    expect(isPicture(await regionLuma(files[0], 3, { x: 40, y: 250, width: 560, height: 200 }))).toBe(true);
    // Part 2: Cai joined: two rows, the second centred at the bottom.
    expect(isPicture(await regionLuma(files[1], 2, bottomBand))).toBe(true);
    expect(isPicture(await regionLuma(files[1], 2, topLeft))).toBe(true);
    // Part 3: the screen share fills the large area (letterboxed at the top), the people a column.
    expect(isBackground(await regionLuma(files[2], 2, topLeft))).toBe(true);
    expect(isPicture(await regionLuma(files[2], 2, { x: 100, y: 300, width: 700, height: 150 }))).toBe(true);

    // The Gcore dialect finds the room's three videos.
    const videos = (await (await api(`/streaming/videos/search?q=${room}`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(videos.map((v) => v.id).sort()).toEqual(done.parts.map((p) => p.videoId).sort());
    for (const video of videos) {
      expect(video).toMatchObject({ status: 'ready', origin_host: new URL(recorderEnv.PUBLIC_URL).host });
      expect(String(video.hls_url)).toMatch(/\/index\.m3u8$/);
      expect(String(video.origin_resource)).toMatch(/\/video\.mp4$/);
      const one = (await (await api(`/streaming/videos/${String(video.id)}`)).json()) as Record<
        string,
        unknown
      >;
      expect(one).toEqual(video);
    }
    for (const p of peers.splice(0)) await p.leave();

    // Operators see it on /metrics: recordings ended by outcome, parts kept.
    const metrics = await (await fetch(`${recorder.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/recording_ended_total\{[^}]*outcome="ready"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/recording_parts_kept_total\{[^}]*interrupted="false"[^}]*\} [3-9]/);
    expect(metrics).toMatch(/recording_active(\{[^}]*\})? 0/);
  });

  it('auto-records: starts after the delay, goes on across a brief empty room, stops after the delay', async () => {
    await settings({ autoRecord: true, startDelaySeconds: 2, stopDelaySeconds: 5 });
    const room = `auto-${randomBytes(3).toString('hex')}`;
    try {
      const ana = await peer(room, 'Ana');
      const auto = await until(
        async () => {
          const page = (await (await api(`/v1/recordings?roomId=${room}`)).json()) as {
            recordings: Recording[];
          };
          return page.recordings[0];
        },
        15_000,
        'the auto-recording to start',
      );
      expect(auto).toMatchObject({ status: 'recording', trigger: 'auto' });
      await sleep(2000);
      // Everyone leaves and someone comes back within the stop delay: the same recording goes on.
      await ana.leave();
      peers.splice(peers.indexOf(ana), 1);
      await sleep(1500);
      const back = await peer(room, 'Ana');
      await sleep(6500);
      expect((await recording(auto.id)).status).toBe('recording');
      const page = (await (await api(`/v1/recordings?roomId=${room}`)).json()) as { recordings: Recording[] };
      expect(page.recordings).toHaveLength(1);
      // Empty for longer than the stop delay: it stops.
      await back.leave();
      peers.splice(peers.indexOf(back), 1);
      const done = await ready(auto.id);
      expect(done).toMatchObject({ status: 'ready', trigger: 'auto' });
      expect(done.durationSeconds).toBeGreaterThan(8);
    } finally {
      await settings({ autoRecord: false, startDelaySeconds: 60, stopDelaySeconds: 60 });
    }
  });

  it('keeps what was recorded when the service is killed, and records on in a new part', async () => {
    const room = `kill-${randomBytes(3).toString('hex')}`;
    await peer(room, 'Ana');
    const started = await start(room);
    // At least 3 segments of 2 s finished on disk (the 4th being written): what the kill must not lose.
    await until(
      async () =>
        (await segmentsOnDisk(join(recorderEnv.RECORDING_WORK_DIR, started.id, 'part-1'))) >= 4
          ? true
          : undefined,
      30_000,
      'four HLS segments written',
    );
    const port = Number(new URL(recorder.baseUrl).port);
    await recorder.kill();
    const killedAt = Date.now();
    recorder = await spawnBuiltService('recording', recorderEnv, { schema: recorder.schema, port });

    const resumed = await until(
      async () => {
        const r = await recording(started.id);
        return r.parts.some((p) => p.partNumber === 2) ? r : undefined;
      },
      20_000,
      'a second part',
    );
    const second = resumed.parts.find((p) => p.partNumber === 2)!;
    expect(Date.parse(second.startedAt) - killedAt).toBeLessThan(10_000);
    const first = resumed.parts.find((p) => p.partNumber === 1)!;
    expect(first).toMatchObject({ status: 'ready', interrupted: true });
    expect(first.durationSeconds).toBeGreaterThan(3);
    const file = await download(first);
    expect(videoStream(await probeMedia(file))).toMatchObject({ codecName: 'h264', width: 1280 });
    expect(isPicture(await regionLuma(file, 2, { x: 200, y: 200, width: 800, height: 300 }))).toBe(true);

    await sleep(3000);
    await api(`/v1/recordings/${started.id}/stop`, { method: 'POST', body: '{}' });
    const done = await ready(started.id);
    expect(done.status).toBe('ready');
    expect(done.parts.filter((p) => p.status === 'ready').map((p) => p.interrupted)).toEqual([true, false]);
  });
});
