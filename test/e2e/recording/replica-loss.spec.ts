import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { BuiltServiceProcess, spawnBuiltService } from '../../support/built-service.process';
import { SyntheticPeer } from '../../support/synthetic-peer';
import { probeMedia, readPlaylist, regionLuma, videoStream } from '../../support/media-probe';
import { freePort } from '../../support/test-env';
import { MediaFixture, startMediaFixture } from '../../integration/media/media-fixture';

// A recorder that dies takes its work directory with it, as a Kubernetes pod does: two
// replicas of the recording service (built processes), each with a work directory of its
// own, share the database and the store. The one recording is killed (SIGKILL) and its work
// directory deleted; the other takes the recording over and rebuilds the interrupted part
// from the segments kept in the store while it was recorded, then records on in a new part.
// Once with a local store (a directory both replicas mount), once with an S3-compatible one
// (s3rver on a loopback port).

interface Part {
  partNumber: number;
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
  parts: Part[];
}

const BUCKET = 'confer-recordings';
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const SEGMENT = /(^|\/)segment-\d+\.ts$/;

describe('a recorder replica lost with its work directory', () => {
  jest.setTimeout(240_000);
  let fixture: MediaFixture;
  let s3rver: S3rver;
  let s3: S3Client;
  let endpoint: string;
  const peers: SyntheticPeer[] = [];
  const replicas: BuiltServiceProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'confer-replica-loss-'));

  beforeAll(async () => {
    fixture = await startMediaFixture({ MEDIA_PLAIN_INGEST: 'true' });
    const port = await freePort();
    s3rver = new S3rver({
      address: '127.0.0.1',
      port,
      directory: join(scratch, 's3rver'),
      silent: true,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    await s3rver.run();
    endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: KEYS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  afterAll(async () => {
    for (const peer of peers.splice(0)) await peer.close().catch(() => undefined);
    for (const replica of replicas.splice(0)) await replica.stop().catch(() => undefined);
    await fixture?.close();
    s3?.destroy();
    await s3rver?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(250);
    }
  }

  function api(replica: BuiltServiceProcess, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${replica.baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.f.accessToken}` },
    });
  }

  async function recording(replica: BuiltServiceProcess, id: string): Promise<Recording> {
    return (await (await api(replica, `/v1/recordings/${id}`)).json()) as Recording;
  }

  /** A file address is on the public base URL; the replica itself answers it. */
  const served = (replica: BuiltServiceProcess, url: string) => {
    const parsed = new URL(url);
    return `${replica.baseUrl}${parsed.pathname}${parsed.search}`;
  };

  /** Segments the dead replica's encoder had finished: those its playlist names. */
  async function segmentsNamed(partDir: string): Promise<number> {
    const text = await readFile(join(partDir, 'index.m3u8'), 'utf8').catch(() => '');
    return text.split('\n').filter((line) => SEGMENT.test(line.trim())).length;
  }

  async function scenario(store: { env: Record<string, string>; segmentsStored: () => Promise<number> }) {
    const base = {
      NATS_URL: fixture.f.auth.natsUrl,
      PUBLIC_URL: fixture.f.auth.env.PUBLIC_URL,
      AUTH_JWKS_URL: `${fixture.f.auth.baseUrl}/.well-known/jwks.json`,
      RECORDING_CONSUMER: `rec_${randomBytes(4).toString('hex')}`,
      RECORDING_LEASE_SECONDS: '3',
      DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
      ...store.env,
    };
    const doomedWorkDir = join(scratch, `work-${randomBytes(3).toString('hex')}`);
    const survivorWorkDir = join(scratch, `work-${randomBytes(3).toString('hex')}`);
    const doomed = await spawnBuiltService('recording', { ...base, RECORDING_WORK_DIR: doomedWorkDir });
    replicas.push(doomed);
    const survivor = await spawnBuiltService(
      'recording',
      { ...base, RECORDING_WORK_DIR: survivorWorkDir },
      { schema: doomed.schema },
    );
    replicas.push(survivor);

    const room = `lost-${randomBytes(3).toString('hex')}`;
    const grant = await fixture.grantFor(`ana-${randomBytes(2).toString('hex')}`, room);
    const ana = await SyntheticPeer.join({
      signalingUrl: fixture.media.signalingUrl,
      grant: grant.grant.token,
      displayName: 'Ana',
      publish: 'camera+microphone',
      publisher: { size: '640x360' },
    });
    peers.push(ana);
    const started = await until(
      async () => {
        const response = await api(doomed, `/v1/rooms/${room}/recordings`, { method: 'POST', body: '{}' });
        return response.status === 201 ? ((await response.json()) as Recording) : undefined;
      },
      10_000,
      'the recording to start',
    );

    // Four segments finished on the doomed replica, and at least three of them in the store.
    const partDir = join(doomedWorkDir, started.id, 'part-1');
    await until(
      async () =>
        (await segmentsNamed(partDir)) >= 4 && (await store.segmentsStored()) >= 3 ? true : undefined,
      30_000,
      'segments written and kept',
    );
    const storedAtKill = await store.segmentsStored();
    const namedAtKill = await segmentsNamed(partDir);
    await doomed.kill();
    const killedAt = Date.now();
    // Its disk goes with it: nothing of the part is left but what reached the store.
    await rm(doomedWorkDir, { recursive: true, force: true });

    const resumed = await until(
      async () => {
        const r = await recording(survivor, started.id);
        return r.parts.some((p) => p.partNumber === 2) ? r : undefined;
      },
      30_000,
      'a second part on the surviving replica',
    );
    const second = resumed.parts.find((p) => p.partNumber === 2)!;
    expect(Date.parse(second.startedAt) - killedAt).toBeLessThan(10_000);
    const first = resumed.parts.find((p) => p.partNumber === 1)!;
    expect(first).toMatchObject({ status: 'ready', interrupted: true });
    // What was recorded before the kill: the segments kept (the one being written is lost).
    expect(first.durationSeconds).toBeGreaterThanOrEqual(storedAtKill * 2 - 0.1);
    // (one more may have been finished and kept in the moment between the count and the kill)
    expect(first.durationSeconds).toBeLessThanOrEqual((namedAtKill + 1) * 2 + 0.1);
    const recordedBeforeKill = (killedAt - Date.parse(first.startedAt)) / 1000;
    expect(first.durationSeconds).toBeGreaterThan(recordedBeforeKill - 6);
    expect(first.durationSeconds).toBeLessThanOrEqual(recordedBeforeKill);

    // It plays: an H.264 MP4 of that length with the peer's picture, and a closed playlist.
    const response = await fetch(served(survivor, first.mp4Url!));
    expect(response.status).toBe(200);
    const file = join(scratch, `${started.id}-1.mp4`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const media = await probeMedia(file);
    expect(videoStream(media)).toMatchObject({ codecName: 'h264', width: 1280, height: 720 });
    expect(Math.abs(media.durationSeconds - first.durationSeconds!)).toBeLessThan(0.5);
    expect((await regionLuma(file, 2, { x: 200, y: 200, width: 800, height: 300 })).stdDev).toBeGreaterThan(
      20,
    );
    const playlistFile = join(scratch, `${started.id}-1.m3u8`);
    await writeFile(playlistFile, await (await fetch(served(survivor, first.hlsUrl!))).text());
    const playlist = await readPlaylist(playlistFile);
    expect(playlist.ended).toBe(true);
    expect(playlist.segments.length).toBeGreaterThanOrEqual(storedAtKill);
    expect(playlist.totalSeconds).toBeCloseTo(first.durationSeconds!, 1);
    const segment = await fetch(served(survivor, new URL(playlist.segments[0], first.hlsUrl!).href));
    expect(segment.status).toBe(200);
    // The take-over did not find the dead replica's files: they are gone.
    expect(existsSync(partDir)).toBe(false);

    await sleep(3000);
    expect(
      (await api(survivor, `/v1/recordings/${started.id}/stop`, { method: 'POST', body: '{}' })).status,
    ).toBe(202);
    const done = await until(
      async () => {
        const r = await recording(survivor, started.id);
        return r.status === 'ready' || r.status === 'failed' ? r : undefined;
      },
      60_000,
      'the recording to be ready',
    );
    expect(done.status).toBe('ready');
    expect(done.parts.map((p) => [p.partNumber, p.status, p.interrupted])).toEqual([
      [1, 'ready', true],
      [2, 'ready', false],
    ]);
    expect(done.parts[1].durationSeconds).toBeGreaterThan(2);

    await ana.leave();
    peers.splice(peers.indexOf(ana), 1);
    await survivor.stop();
    replicas.splice(0);
  }

  it('keeps the interrupted part from a local store shared by the replicas', async () => {
    const files = join(scratch, 'files');
    await scenario({
      env: { RECORDING_STORAGE: 'local', RECORDING_STORAGE_DIR: files },
      segmentsStored: async () => {
        const entries = await readdir(files, { recursive: true }).catch(() => [] as string[]);
        return entries.filter((entry) => SEGMENT.test(entry)).length;
      },
    });
  });

  it('keeps the interrupted part from an S3-compatible store', async () => {
    const bucket = BUCKET;
    await scenario({
      env: {
        RECORDING_STORAGE: 's3',
        RECORDING_S3_ENDPOINT: endpoint,
        RECORDING_S3_BUCKET: bucket,
        RECORDING_S3_ACCESS_KEY_ID: KEYS.accessKeyId,
        RECORDING_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
        // Neither replica has a local store to fall back on.
        RECORDING_STORAGE_DIR: join(scratch, 'unused-files'),
      },
      segmentsStored: async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        return (listed.Contents ?? []).filter((o) => SEGMENT.test(o.Key!)).length;
      },
    });
  });
});
