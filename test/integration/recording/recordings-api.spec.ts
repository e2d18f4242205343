import { randomBytes } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { buildEvent, EventContract, EventOf, RoomEnded, RoomStarted, subjectOf } from '@confer/contracts';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { RunningRecordingService, startRecordingService } from '../../support/recording-service.harness';

// The recording API as an integrator meets it: starting and stopping (by the organisation's
// API or a moderator's token), finding recordings and their files, the Gcore video dialect,
// signed addresses, and a clear 4xx for every wrong request. Rooms come to life through the
// rooms service's events on the bus; no media server runs, so recordings show an empty room.

interface Org {
  orgId: string;
  token: string;
}

describe('recording API', () => {
  jest.setTimeout(120_000);
  let auth: RunningAuthService;
  let recording: RunningRecordingService;
  let nc: NatsConnection;
  let org: Org;
  let other: Org;
  let conference = 10_000_000;

  beforeAll(async () => {
    auth = await startAuthService();
    recording = await startRecordingService(auth, {
      RECORDING_CONSUMER: `rec_${randomBytes(4).toString('hex')}`,
    });
    nc = await connect({ servers: auth.natsUrl });
    org = await organisation('Recorded');
    other = await organisation('Other');
  });

  afterAll(async () => {
    await nc?.drain();
    await recording?.close();
    await auth?.close();
  });

  async function organisation(name: string): Promise<Org> {
    const created = await createOrganisation(auth.env, name, ['--rate-limit', '100000']);
    const response = await fetch(`${auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${created.apiKey}:${created.apiKeySecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    return {
      orgId: created.orgId,
      token: ((await response.json()) as { access_token: string }).access_token,
    };
  }

  function api(path: string, init: RequestInit & { as?: Org | null } = {}): Promise<Response> {
    const who = init.as === undefined ? org : init.as;
    return fetch(`${recording.baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(who ? { authorization: `Bearer ${who.token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async function publish<C extends EventContract>(contract: C, event: EventOf<C>): Promise<void> {
    await nc
      .jetstream()
      .publish(subjectOf(contract, event), new TextEncoder().encode(JSON.stringify(event)), {
        msgID: event.id,
      });
  }

  /** A room comes to life (as the rooms service announces it) and the recording service knows. */
  async function liveRoom(roomId: string, owner: Org = org): Promise<string> {
    const conferenceNumber = String(++conference);
    await publish(
      RoomStarted,
      buildEvent(RoomStarted, {
        source: '/confer/rooms',
        orgId: owner.orgId,
        roomId,
        data: { roomId, conferenceNumber, startedAt: new Date().toISOString(), mediaServer: 'serv0' },
      }),
    );
    await until(async () => {
      const [row] = (await recording.db.query(`SELECT live FROM rooms WHERE org_id = $1 AND room_id = $2`, [
        owner.orgId,
        roomId,
      ])) as { live: boolean }[];
      return row?.live === true;
    });
    return conferenceNumber;
  }

  async function participantToken(roomId: string, role: string, attributes: Record<string, unknown> = {}) {
    const response = await fetch(`${auth.baseUrl}/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.token}` },
      body: JSON.stringify({ identity: `${role}-1`, roomId, role, ttlSeconds: 600, attributes }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  }

  async function recordingOf(id: string): Promise<RecordingBody> {
    return (await (await api(`/v1/recordings/${id}`)).json()) as RecordingBody;
  }

  async function readyRecording(id: string): Promise<RecordingBody> {
    let body: RecordingBody | undefined;
    await until(async () => {
      body = (await (await api(`/v1/recordings/${id}`)).json()) as RecordingBody;
      return body.status === 'ready' || body.status === 'failed';
    }, 30_000);
    return body!;
  }

  it('refuses a start for a room that is not live, and wrong room ids', async () => {
    const notLive = await api('/v1/rooms/nobody-here/recordings', { method: 'POST', body: '{}' });
    expect(notLive.status).toBe(404);
    expect((await errorOf(notLive)).code).toBe('room_not_live');
    const bad = await api('/v1/rooms/bad%20room/recordings', { method: 'POST', body: '{}' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('invalid_room_id');
  });

  it('starts once per room, stops, and lists the recording with its playable part', async () => {
    await liveRoom('weekly');
    const started = await api('/v1/rooms/weekly/recordings', { method: 'POST', body: '{}' });
    expect(started.status).toBe(201);
    const recordingBody = (await started.json()) as RecordingBody;
    expect(recordingBody).toMatchObject({ roomId: 'weekly', status: 'recording', trigger: 'api' });

    const second = await api('/v1/rooms/weekly/recordings', { method: 'POST', body: '{}' });
    expect(second.status).toBe(409);
    expect(await errorOf(second)).toMatchObject({ code: 'already_recording' });

    // Running: it cannot be deleted yet.
    expect((await api(`/v1/recordings/${recordingBody.id}`, { method: 'DELETE' })).status).toBe(409);

    await new Promise((r) => setTimeout(r, 3000));
    const stopped = await api(`/v1/recordings/${recordingBody.id}/stop`, { method: 'POST', body: '{}' });
    expect(stopped.status).toBe(202);
    const ready = await readyRecording(recordingBody.id);
    expect(ready).toMatchObject({ status: 'ready', progress: 100, stopReason: 'requested' });
    expect(ready.parts).toHaveLength(1);
    expect(ready.parts[0]).toMatchObject({ partNumber: 1, status: 'ready', interrupted: false });
    expect(ready.parts[0].durationSeconds).toBeGreaterThan(2);
    expect(ready.parts[0].name).toBe(`Recording weekly ${ready.startedAt} part 1`);

    const again = await api(`/v1/recordings/${recordingBody.id}/stop`, { method: 'POST', body: '{}' });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('not_recording');

    // The files: the MP4 answers ranges, the playlist is HLS.
    // Addresses are on the public base URL; here the service itself answers them.
    const served = (url: string) => `${recording.baseUrl}${new URL(url).pathname}${new URL(url).search}`;
    const mp4 = await fetch(served(ready.parts[0].mp4Url!), { headers: { range: 'bytes=0-99' } });
    expect(mp4.status).toBe(206);
    expect(mp4.headers.get('content-range')).toMatch(/^bytes 0-99\/[0-9]+$/);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    expect((await mp4.arrayBuffer()).byteLength).toBe(100);
    // A range past the end is refused with the file's size, not left hanging.
    const size = Number(mp4.headers.get('content-range')!.split('/')[1]);
    const beyond = await fetch(served(ready.parts[0].mp4Url!), { headers: { range: `bytes=${size + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    expect((await errorOf(beyond)).code).toBe('range_not_satisfiable');
    const playlist = await fetch(served(ready.parts[0].hlsUrl!));
    expect(playlist.status).toBe(200);
    const text = await playlist.text();
    expect(text).toMatch(/^#EXTM3U/);
    expect(text).toContain('#EXT-X-ENDLIST');
    const segment = text.split('\n').find((line) => line.startsWith('segment-'))!;
    expect((await fetch(served(new URL(segment, ready.parts[0].hlsUrl!).href))).status).toBe(200);

    const list = (await (await api('/v1/recordings?roomId=weekly')).json()) as {
      recordings: RecordingBody[];
    };
    expect(list.recordings.map((r) => r.id)).toEqual([recordingBody.id]);
    // Another organisation sees none of it.
    expect((await api(`/v1/recordings/${recordingBody.id}`, { as: other })).status).toBe(404);
  });

  it('pages recordings with a cursor and filters them', async () => {
    await liveRoom('paged');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const body = (await (
        await api('/v1/rooms/paged/recordings', { method: 'POST', body: '{}' })
      ).json()) as RecordingBody;
      ids.push(body.id);
      await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}' });
      await readyRecording(body.id);
    }
    const first = (await (await api('/v1/recordings?roomId=paged&limit=1')).json()) as Page;
    expect(first.recordings.map((r) => r.id)).toEqual([ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (
      await api(`/v1/recordings?roomId=paged&limit=1&cursor=${first.nextCursor}`)
    ).json()) as Page;
    expect(second.recordings.map((r) => r.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const none = (await (await api('/v1/recordings?roomId=paged&status=failed')).json()) as Page;
    expect(none.recordings).toEqual([]);

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['status=done', 'status'],
      ['from=yesterday', 'from'],
      ['cursor=not-ours', 'cursor'],
    ]) {
      const response = await api(`/v1/recordings?${query}`);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(field);
    }
  });

  it('lets only a moderator whose token allows recording start one', async () => {
    await liveRoom('moderated');
    const asToken = (token?: string) =>
      api('/v1/rooms/moderated/recordings', {
        method: 'POST',
        as: null,
        body: JSON.stringify(token ? { token } : {}),
      });

    const anonymous = await asToken();
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('credentials_required');

    const participant = await asToken(
      await participantToken('moderated', 'participant', { canRecord: true }),
    );
    expect(participant.status).toBe(403);
    expect((await errorOf(participant)).code).toBe('moderator_required');

    const withoutCanRecord = await asToken(await participantToken('moderated', 'moderator'));
    expect(withoutCanRecord.status).toBe(403);
    expect((await errorOf(withoutCanRecord)).code).toBe('can_record_required');

    const otherRoom = await asToken(await participantToken('elsewhere', 'moderator', { canRecord: true }));
    expect(otherRoom.status).toBe(401);
    expect(await errorOf(otherRoom)).toMatchObject({
      code: 'token_refused',
      details: { reason: 'wrong_room' },
    });

    const moderatorToken = await participantToken('moderated', 'moderator', { canRecord: true });
    const moderator = await asToken(moderatorToken);
    expect(moderator.status).toBe(201);
    const body = (await moderator.json()) as RecordingBody;
    expect(body).toMatchObject({ trigger: 'moderator', startedBy: 'moderator-1' });
    const stop = await api(`/v1/recordings/${body.id}/stop`, {
      method: 'POST',
      as: null,
      body: JSON.stringify({ token: moderatorToken }),
    });
    expect(stop.status).toBe(202);
    await readyRecording(body.id);
  });

  it('stops a recording when its room ends', async () => {
    const conferenceNumber = await liveRoom('ending');
    const body = (await (
      await api('/v1/rooms/ending/recordings', { method: 'POST', body: '{}' })
    ).json()) as RecordingBody;
    await publish(
      RoomEnded,
      buildEvent(RoomEnded, {
        source: '/confer/rooms',
        orgId: org.orgId,
        roomId: 'ending',
        data: {
          roomId: 'ending',
          conferenceNumber,
          startedAt: body.startedAt,
          endedAt: new Date().toISOString(),
          reason: 'empty',
        },
      }),
    );
    expect(await readyRecording(body.id)).toMatchObject({ status: 'ready', stopReason: 'room_ended' });
  });

  it("keeps another organisation's recordings out of reach: no stop, no delete, no video", async () => {
    await liveRoom('private-room');
    const body = (await (
      await api('/v1/rooms/private-room/recordings', { method: 'POST', body: '{}' })
    ).json()) as RecordingBody;
    expect(
      (await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}', as: other })).status,
    ).toBe(404);
    expect(
      (await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}', as: null })).status,
    ).toBe(401);
    expect((await api(`/v1/recordings/${body.id}`, { method: 'DELETE', as: other })).status).toBe(404);
    expect(await (await api('/streaming/videos/search?q=private-room', { as: other })).json()).toEqual([]);
    expect((await recordingOf(body.id)).status).toBe('recording');
    await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}' });
    await readyRecording(body.id);
  });

  it('applies room events by their time, whatever order they arrive in', async () => {
    const conferenceNumber = await liveRoom('late-news');
    // An end older than the start already applied (a redelivery, another replica) changes nothing.
    await publish(
      RoomEnded,
      buildEvent(RoomEnded, {
        source: '/confer/rooms',
        orgId: org.orgId,
        roomId: 'late-news',
        data: {
          roomId: 'late-news',
          conferenceNumber,
          startedAt: new Date(Date.now() - 120_000).toISOString(),
          endedAt: new Date(Date.now() - 60_000).toISOString(),
          reason: 'empty',
        },
      }),
    );
    await liveRoom('after-news'); // consumed after the stale end: it has been applied (or not) by now
    const started = await api('/v1/rooms/late-news/recordings', { method: 'POST', body: '{}' });
    expect(started.status).toBe(201);
    const body = (await started.json()) as RecordingBody;
    await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}' });
    await readyRecording(body.id);
  });

  it('answers unknown and malformed recording ids clearly', async () => {
    const unknown = await api('/v1/recordings/6f1c2a9e-9d7b-4c1a-8e55-0a6d8c1f2b3c');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('recording_not_found');
    const malformed = await api('/v1/recordings/123');
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('invalid_recording_id');
    expect(
      (await api('/v1/recordings/6f1c2a9e-9d7b-4c1a-8e55-0a6d8c1f2b3c/stop', { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
    expect((await api('/v1/recordings', { as: null })).status).toBe(401);
    expect(
      (await fetch(`${recording.baseUrl}/v1/recording-files/abcdefghijklmnopqrstuvwx/video.mp4`)).status,
    ).toBe(404);
    expect(
      (await fetch(`${recording.baseUrl}/v1/recording-files/abcdefghijklmnopqrstuvwx/..%2Fsecret`)).status,
    ).toBe(404);
  });

  it('validates organisation settings and keeps them per organisation', async () => {
    const bad = await api(`/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify({ startDelaySeconds: -1, autoRecord: 'yes' }),
    });
    expect(bad.status).toBe(400);
    const problem = JSON.stringify(await bad.json());
    expect(problem).toContain('startDelaySeconds');
    expect(problem).toContain('autoRecord');
    const foreign = await api(`/v1/orgs/${other.orgId}/settings/recording`, { method: 'PUT', body: '{}' });
    expect(foreign.status).toBe(403);
    const changed = await api(`/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify({ maxPartSeconds: 600, retentionDays: 30 }),
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ autoRecord: false, maxPartSeconds: 600, retentionDays: 30 });
    expect(
      await (await api(`/v1/orgs/${other.orgId}/settings/recording`, { as: other })).json(),
    ).toMatchObject({
      maxPartSeconds: 14400,
      retentionDays: null,
    });
    await api(`/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify({ maxPartSeconds: 14400, retentionDays: null }),
    });
  });

  it("finds a room's videos the Gcore way, and serves signed addresses only when signed", async () => {
    await liveRoom('serv1test2a');
    const body = (await (
      await api('/v1/rooms/serv1test2a/recordings', { method: 'POST', body: '{}' })
    ).json()) as RecordingBody;
    await new Promise((r) => setTimeout(r, 2500));
    await api(`/v1/recordings/${body.id}/stop`, { method: 'POST', body: '{}' });
    const ready = await readyRecording(body.id);

    const search = await api('/streaming/videos/search?q=serv1test2a');
    expect(search.status).toBe(200);
    const videos = (await search.json()) as GcoreVideo[];
    expect(videos).toHaveLength(1);
    expect(videos[0]).toMatchObject({
      id: ready.parts[0].videoId,
      name: ready.parts[0].name,
      status: 'ready',
      origin_host: new URL(auth.env.PUBLIC_URL).host,
    });
    expect(videos[0].duration).toBeGreaterThan(1000);
    const video = (await (await api(`/streaming/videos/${videos[0].id}`)).json()) as GcoreVideo;
    expect(video).toEqual(videos[0]);
    // origin_host + origin_resource is the MP4; hls_url the playlist.
    const mp4Path = `/${video.origin_resource}`;
    expect(
      (await fetch(`${recording.baseUrl}${mp4Path}`, { method: 'HEAD' })).headers.get('content-type'),
    ).toBe('video/mp4');
    expect(new URL(video.hls_url!).pathname).toMatch(/\/index\.m3u8$/);

    expect((await api('/streaming/videos/search')).status).toBe(400);
    expect((await api('/streaming/videos/abc')).status).toBe(400);
    expect((await api('/streaming/videos/999999999')).status).toBe(404);
    expect((await api(`/streaming/videos/${videos[0].id}`, { as: other })).status).toBe(404);

    // Signed addresses: unsigned or tampered ones are refused.
    await api(`/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify({ signedUrls: true }),
    });
    const signed = (await (await api(`/v1/recordings/${body.id}`)).json()) as RecordingBody;
    const signedMp4 = new URL(signed.parts[0].mp4Url!);
    expect(signedMp4.searchParams.get('signature')).toEqual(expect.any(String));
    const local = (url: URL) => `${recording.baseUrl}${url.pathname}${url.search}`;
    expect((await fetch(local(signedMp4))).status).toBe(200);
    expect((await fetch(`${recording.baseUrl}${signedMp4.pathname}`)).status).toBe(403);
    const tampered = new URL(signedMp4);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    expect((await fetch(local(tampered))).status).toBe(403);
    // The signed playlist hands its signature on to its segments.
    const playlist = await (await fetch(local(new URL(signed.parts[0].hlsUrl!)))).text();
    const segment = playlist.split('\n').find((line) => line.startsWith('segment-'))!;
    expect(segment).toContain('signature=');
    expect((await fetch(local(new URL(segment, signed.parts[0].hlsUrl!)))).status).toBe(200);
    await api(`/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify({ signedUrls: false }),
    });

    // Deleted: its files are gone, its history stays.
    expect((await api(`/v1/recordings/${body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(local(new URL(ready.parts[0].mp4Url!)))).status).toBe(404);
    expect(await (await api(`/v1/recordings/${body.id}`)).json()).toMatchObject({
      deletedAt: expect.any(String),
      deleteReason: 'requested',
    });
    expect(await (await api('/streaming/videos/search?q=serv1test2a')).json()).toEqual([]);
  });
});

interface RecordingBody {
  id: string;
  roomId: string;
  status: string;
  progress: number;
  trigger: string;
  startedBy: string | null;
  startedAt: string;
  stopReason: string | null;
  parts: {
    partNumber: number;
    videoId: number;
    name: string;
    status: string;
    durationSeconds: number | null;
    interrupted: boolean;
    hlsUrl: string | null;
    mp4Url: string | null;
  }[];
}
interface Page {
  recordings: RecordingBody[];
  nextCursor: string | null;
}
interface GcoreVideo {
  id: number;
  name: string;
  status: string;
  duration: number;
  hls_url: string | null;
  origin_host: string | null;
  origin_resource: string | null;
}

/** The error body every 4xx carries. */
async function errorOf(response: Response): Promise<{ code: string; message: string; details?: unknown }> {
  return ((await response.json()) as { error: { code: string; message: string; details?: unknown } }).error;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
