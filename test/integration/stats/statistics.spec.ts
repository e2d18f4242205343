import { DataSource } from 'typeorm';
import { buildEvent, PeerLeft, PeerRoleChanged } from '@confer/contracts';
import { shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { EventTap } from '../../support/event-tap';
import { RunningStatsService, startStatsService } from '../../support/stats-service.harness';
import { ProcessedEventsPruner } from '../../../apps/stats/src/retention/processed-events-pruner';
import {
  CraftedSession,
  eventsOfRoom,
  expectedBuckets,
  expectedRow,
  StreamPublisher,
} from './attendance-stream';

const t = (iso: string) => new Date(iso);
const DAY1 = { from: '2021-06-21T00:00:00.0Z', to: '2021-06-21T23:59:59.99Z' };
const BOTH_DAYS = { from: '2021-06-21T00:00:00.0Z', to: '2021-06-22T23:59:59.99Z' };

const day1: CraftedSession[] = [
  { peerId: 'peer1', joinedAt: t('2021-06-21T10:00:10Z'), leftAt: t('2021-06-21T10:05:00Z') },
  {
    peerId: 'peer2',
    joinedAt: t('2021-06-21T10:00:29.999Z'),
    leftAt: t('2021-06-21T10:30:00.001Z'),
    reason: 'kicked',
  },
  {
    peerId: 'peer3',
    role: 'viewer',
    joinedAt: t('2021-06-21T10:10:00Z'),
    leftAt: t('2021-06-21T10:40:00Z'),
    reason: 'timed_out',
  },
  { peerId: 'peer4', joinedAt: t('2021-06-21T10:20:05Z'), leftAt: t('2021-06-21T10:20:06Z') },
  // peer1 came back: a second session.
  { peerId: 'peer1', joinedAt: t('2021-06-21T10:55:00Z'), leftAt: t('2021-06-21T11:00:05Z') },
];
const day2: CraftedSession[] = [
  { peerId: 'peer5', joinedAt: t('2021-06-22T09:00:00Z'), leftAt: t('2021-06-22T10:00:00Z') },
];
// A webinar whose viewers are promoted and demoted: inside a bucket, twice in one bucket,
// exactly on a boundary; v1 comes back later, and its earlier change must not follow it.
const DAY3 = { from: '2021-06-23T00:00:00Z', to: '2021-06-24T00:00:00Z' };
const day3: CraftedSession[] = [
  {
    peerId: 'v1',
    role: 'viewer',
    joinedAt: t('2021-06-23T10:00:10Z'),
    leftAt: t('2021-06-23T10:03:00Z'),
    roleChanges: [{ at: t('2021-06-23T10:01:15Z'), to: 'participant' }],
  },
  {
    peerId: 'v2',
    role: 'viewer',
    joinedAt: t('2021-06-23T10:00:00Z'),
    leftAt: t('2021-06-23T10:02:40Z'),
    roleChanges: [
      { at: t('2021-06-23T10:00:40Z'), to: 'participant' },
      { at: t('2021-06-23T10:00:50Z'), to: 'viewer' },
      { at: t('2021-06-23T10:02:00Z'), to: 'participant' },
    ],
  },
  {
    peerId: 'v3',
    role: 'viewer',
    joinedAt: t('2021-06-23T10:00:20Z'),
    leftAt: t('2021-06-23T10:01:50Z'),
    // Made a speaker in the bucket it joined in: that bucket already counts it as one.
    roleChanges: [{ at: t('2021-06-23T10:00:25Z'), to: 'participant' }],
  },
  { peerId: 'm1', role: 'moderator', joinedAt: t('2021-06-23T10:00:05Z'), leftAt: t('2021-06-23T10:04:00Z') },
  {
    peerId: 'v1',
    role: 'participant',
    joinedAt: t('2021-06-23T10:05:00Z'),
    leftAt: t('2021-06-23T10:06:00Z'),
  },
];

async function accessToken(auth: RunningAuthService, name: string) {
  const org = await createOrganisation(auth.env, name, ['--rate-limit', '100000']);
  const response = await fetch(`${auth.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${org.apiKey}:${org.apiKeySecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return { orgId: org.orgId, token: ((await response.json()) as { access_token: string }).access_token };
}

/** The tests' own sessions list and summary, from the sessions they sent. */
function expectedSessions(sessions: CraftedSession[]) {
  return sessions
    .map(expectedRow)
    .sort((a, b) => a.join_time - b.join_time || a.person_id.localeCompare(b.person_id));
}
function expectedSummary(sessions: CraftedSession[]) {
  const rows = sessions.map(expectedRow);
  const buckets = new Set<number>();
  for (const r of rows) for (let b = r.join_time; b < r.leave_time; b += 30) buckets.add(b);
  return {
    participants: new Set(sessions.map((s) => s.peerId)).size,
    start_time: Math.min(...rows.map((r) => r.join_time)),
    end_time: Math.max(...rows.map((r) => r.leave_time)),
    duration: buckets.size * 30,
  };
}

describe('stats service (crafted event streams, real PostgreSQL and NATS)', () => {
  let auth: RunningAuthService;
  let stats: RunningStatsService;
  let nats: StreamPublisher;
  let tap: EventTap;
  let orgA: { orgId: string; token: string };
  let orgB: { orgId: string; token: string };
  const stream = () => [
    ...eventsOfRoom(orgA.orgId, 'serv0room-x', day1),
    ...eventsOfRoom(orgA.orgId, 'serv0room-x', day2),
    // The same sessions, every event in reverse order (leaves before joins, the end first).
    ...eventsOfRoom(orgA.orgId, 'serv0room-y', day1).reverse(),
    // Another organisation's room of the same name.
    ...eventsOfRoom(orgB.orgId, 'serv0room-x', day2),
    // Role changes arriving before the joins they follow, leaves before everything.
    ...eventsOfRoom(orgA.orgId, 'serv0room-roles', day3).reverse(),
  ];
  let events: ReturnType<typeof stream>;

  const get = (base: string, path: string, token = orgA.token) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const answers = async (base: string) => {
    const out: unknown[] = [];
    for (const room of ['serv0room-x', 'serv0room-y'])
      for (const p of [DAY1, BOTH_DAYS])
        for (const path of ['/streaming/statistics/peers', '/streaming/statistics/peers/summary']) {
          const r = await get(base, `${path}?room_id=${room}&from=${p.from}&to=${p.to}`);
          out.push([r.status, await r.json()]);
        }
    const usage = await get(base, `/v1/stats/usage?from=2021-06-01T00:00:00Z&to=2021-07-01T00:00:00Z`);
    out.push([usage.status, await usage.json()]);
    for (const [room, p] of [
      ['serv0room-x', DAY1],
      ['serv0room-y', DAY1],
      ['serv0room-roles', DAY3],
    ] as const) {
      const buckets = await get(base, `/v1/stats/rooms/${room}/buckets?from=${p.from}&to=${p.to}`);
      out.push([buckets.status, await buckets.json()]);
    }
    return out;
  };

  beforeAll(async () => {
    // Before the service's module is built: its meters come from the started provider.
    startTelemetry({ serviceName: 'stats-integration', env: {} });
    auth = await startAuthService();
    orgA = await accessToken(auth, 'Stats A');
    orgB = await accessToken(auth, 'Stats B');
    stats = await startStatsService(auth);
    nats = await StreamPublisher.open(auth.natsUrl);
    tap = await EventTap.open(auth.natsUrl, `confer.evt.${orgA.orgId}.*.room.summarised.v1`);
    events = stream();
    await nats.publish(events);
    await nats.settled(stats.config.STATS_CONSUMER);
  });

  afterAll(async () => {
    await tap?.close();
    await nats?.close();
    await stats?.close();
    await auth?.close();
    await shutdownTelemetry();
  });

  it('answers one row per session, as computed independently from the events sent', async () => {
    const r = await get(
      stats.baseUrl,
      `/streaming/statistics/peers?room_id=serv0room-x&from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: unknown[]; errors: unknown[] };
    expect(body.errors).toEqual([]);
    expect(body.data).toEqual(expectedSessions(day1));
    expect(body.data.filter((s) => (s as { person_id: string }).person_id === 'peer1')).toHaveLength(2);
    // The Gcore document writes the routes with a trailing slash too.
    const slashed = await get(
      stats.baseUrl,
      `/streaming/statistics/peers/?room_id=serv0room-x&from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(slashed.status).toBe(200);
    expect(await slashed.json()).toEqual(body);
    const summary = await get(
      stats.baseUrl,
      `/streaming/statistics/peers/summary/?room_id=serv0room-x&from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(summary.status).toBe(200);
  });

  it('sums a room up as computed independently, per day and over both days', async () => {
    const day = await get(
      stats.baseUrl,
      `/streaming/statistics/peers/summary?room_id=serv0room-x&from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(await day.json()).toEqual({ data: expectedSummary(day1), errors: [] });
    const both = await get(
      stats.baseUrl,
      `/streaming/statistics/peers/summary?room_id=serv0room-x&from=${BOTH_DAYS.from}&to=${BOTH_DAYS.to}`,
    );
    expect(await both.json()).toEqual({ data: expectedSummary([...day1, ...day2]), errors: [] });
  });

  it('converges to the same answer when every event arrives in reverse order', async () => {
    const q = (room: string) => `/streaming/statistics/peers?room_id=${room}&from=${DAY1.from}&to=${DAY1.to}`;
    const x = await (await get(stats.baseUrl, q('serv0room-x'))).json();
    const y = await (await get(stats.baseUrl, q('serv0room-y'))).json();
    expect(y).toEqual(x);
    const b = (room: string) => `/v1/stats/rooms/${room}/buckets?from=${DAY1.from}&to=${DAY1.to}`;
    const bx = (await (await get(stats.baseUrl, b('serv0room-x'))).json()) as { buckets: unknown[] };
    const by = (await (await get(stats.baseUrl, b('serv0room-y'))).json()) as { buckets: unknown[] };
    expect(by.buckets).toEqual(bx.buckets);
  });

  it('derives the 30-second buckets (peers, speakers, viewers) as computed independently', async () => {
    const r = await get(stats.baseUrl, `/v1/stats/rooms/serv0room-x/buckets?from=${DAY1.from}&to=${DAY1.to}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { room_id: string; buckets: unknown[] };
    expect(body.room_id).toBe('serv0room-x');
    expect(body.buckets).toEqual(expectedBuckets(day1, new Date(DAY1.from), new Date(DAY1.to)));
    // A period cutting through sessions keeps the buckets that start in it.
    const [from, to] = ['2021-06-21T10:04:45Z', '2021-06-21T10:20:01Z'];
    const cut = await get(stats.baseUrl, `/v1/stats/rooms/serv0room-x/buckets?from=${from}&to=${to}`);
    expect(((await cut.json()) as { buckets: unknown[] }).buckets).toEqual(
      expectedBuckets(day1, new Date(from), new Date(to)),
    );
  });

  it('moves sessions between speakers and viewers as their roles change, in any arrival order', async () => {
    const r = await get(
      stats.baseUrl,
      `/v1/stats/rooms/serv0room-roles/buckets?from=${DAY3.from}&to=${DAY3.to}`,
    );
    const body = (await r.json()) as { buckets: Array<{ start: string; speakers: number; viewers: number }> };
    const expected = expectedBuckets(day3, new Date(DAY3.from), new Date(DAY3.to));
    expect(body.buckets).toEqual(expected);
    // The cases the sessions were written for, spelt out.
    const at = (time: string) => body.buckets.find((b) => b.start === `2021-06-23T${time}.000Z`);
    expect(at('10:00:00')).toMatchObject({ speakers: 2, viewers: 2 }); // m1, v3 (changed in it); v1, v2
    expect(at('10:00:30')).toMatchObject({ speakers: 2, viewers: 2 }); // v2 changed twice: a viewer again
    expect(at('10:01:00')).toMatchObject({ speakers: 3, viewers: 1 }); // v1 promoted at 10:01:15
    expect(at('10:01:30')).toMatchObject({ speakers: 3, viewers: 1 }); // v2 promoted only at 10:02:00
    expect(at('10:02:00')).toMatchObject({ speakers: 3, viewers: 0 });
  });

  it('refuses a bucket period over 7 days or a bad room id, in the platform error body', async () => {
    const long = await get(
      stats.baseUrl,
      `/v1/stats/rooms/serv0room-x/buckets?from=2021-06-01T00:00:00Z&to=2021-06-09T00:00:00Z`,
    );
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { code: 'invalid_period' } });
    const badRoom = await get(
      stats.baseUrl,
      `/v1/stats/rooms/bad%20room/buckets?from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(badRoom.status).toBe(400);
    expect(await badRoom.json()).toMatchObject({ error: { code: 'room_id_required' } });
    const noTime = await get(stats.baseUrl, `/v1/stats/rooms/serv0room-x/buckets?from=${DAY1.from}`);
    expect(noTime.status).toBe(400);
    const anonymous = await fetch(
      `${stats.baseUrl}/v1/stats/rooms/serv0room-x/buckets?from=${DAY1.from}&to=${DAY1.to}`,
    );
    expect(anonymous.status).toBe(401);
  });

  it('answers replays of the whole stream identically (ids recorded, nothing counted twice)', async () => {
    const before = await answers(stats.baseUrl);
    await nats.publish(events);
    await nats.publish(events);
    await nats.settled(stats.config.STATS_CONSUMER);
    expect(await answers(stats.baseUrl)).toEqual(before);
    const [{ n }] = await stats.app.get(DataSource).query(`SELECT count(*)::int AS n FROM processed_events`);
    expect(n).toBe(events.length);
  });

  it('forgets applied ids only past the horizon, and a replay after that still changes nothing', async () => {
    const pruner = stats.app.get(ProcessedEventsPruner);
    const ds = stats.app.get(DataSource);
    const count = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM processed_events`))[0].n as number;
    expect(await pruner.runOnce()).toBe(0); // every id is younger than the stream's max age
    const before = await answers(stats.baseUrl);
    // Nine days on (the clock, not the data, moves): past the 8-day horizon.
    expect(await pruner.runOnce(new Date(Date.now() + 9 * 24 * 3600_000))).toBe(events.length);
    expect(await count()).toBe(0);
    // Cannot happen once the stream dropped them, but even so: every write is keyed.
    await nats.publish(events);
    await nats.settled(stats.config.STATS_CONSUMER);
    expect(await answers(stats.baseUrl)).toEqual(before);
    expect(await count()).toBe(events.length);
  });

  it('answers identically after a restart in the middle of the stream', async () => {
    const reference = await answers(stats.baseUrl);
    // A second deployment with its own data and consumer, stopped half-way and started again.
    const overrides = { STATS_CONSUMER: 'stats-restart' };
    let second = await startStatsService(auth, overrides);
    const schema = second.schema;
    const ds = second.app.get(DataSource);
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM processed_events`);
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await second.close({ keepSchema: true });
    await nats.publish(events.slice(0, 7)); // more redeliveries while it is down
    second = await startStatsService(auth, overrides, { schema });
    try {
      await nats.settled('stats-restart');
      expect(await answers(second.baseUrl)).toEqual(reference);
    } finally {
      await second.close();
    }
  });

  it('answers anew as soon as the room changes (answers are kept only while it does not)', async () => {
    const room = 'serv0room-z';
    const q = (path: string) => `${path}?room_id=${room}&from=${DAY1.from}&to=${DAY1.to}`;
    const open: CraftedSession = { peerId: 'z1', joinedAt: t('2021-06-21T08:00:00Z') };
    await nats.publish(eventsOfRoom(orgB.orgId, room, [open]));
    await nats.settled(stats.config.STATS_CONSUMER);
    const first = (await (await get(stats.baseUrl, q('/streaming/statistics/peers'), orgB.token)).json()) as {
      data: Array<{ leave_time: number | null }>;
    };
    expect(first.data).toHaveLength(1);
    expect(first.data[0].leave_time).toBeNull();
    await get(stats.baseUrl, q('/streaming/statistics/peers/summary'), orgB.token);
    // The answer's entity tag: unchanged room, same answer, 304.
    const tagged = await get(stats.baseUrl, q('/streaming/statistics/peers/summary'), orgB.token);
    const etag = tagged.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    // (fetch would add "cache-control: no-cache", which forbids a 304; a revalidating client sends max-age=0)
    const revalidate = {
      authorization: `Bearer ${orgB.token}`,
      'if-none-match': etag,
      'cache-control': 'max-age=0',
    };
    const notModified = await fetch(`${stats.baseUrl}${q('/streaming/statistics/peers/summary')}`, {
      headers: revalidate,
    });
    expect(notModified.status).toBe(304);

    const closed: CraftedSession = {
      peerId: 'z2',
      joinedAt: t('2021-06-21T08:10:00Z'),
      leftAt: t('2021-06-21T08:20:00Z'),
    };
    await nats.publish(eventsOfRoom(orgB.orgId, room, [closed]));
    await nats.settled(stats.config.STATS_CONSUMER);
    const second = (await (
      await get(stats.baseUrl, q('/streaming/statistics/peers'), orgB.token)
    ).json()) as {
      data: Array<{ person_id: string }>;
    };
    expect(second.data.map((r) => r.person_id)).toEqual(['z1', 'z2']);
    const summary = await fetch(`${stats.baseUrl}${q('/streaming/statistics/peers/summary')}`, {
      headers: revalidate,
    });
    expect(summary.status).toBe(200);
    expect(summary.headers.get('etag')).not.toBe(etag);
    expect(((await summary.json()) as { data: { participants: number } }).data.participants).toBe(2);
  });

  it('answers as one when two replicas share the consumer and the schema', async () => {
    const reference = await answers(stats.baseUrl);
    // Small batches, so both replicas write often and their transactions overlap.
    const overrides = { STATS_CONSUMER: 'stats-pair', STATS_INGEST_CONCURRENCY: '10' };
    // The first answers every query from PostgreSQL (no room kept in memory); the second,
    // like the main service, from the rooms it keeps.
    const first = await startStatsService(auth, { ...overrides, STATS_ROOM_SNAPSHOT_SESSIONS: '0' });
    const second = await startStatsService(auth, overrides, { schema: first.schema });
    try {
      await nats.publish(events); // and duplicates while both consume
      await nats.settled('stats-pair');
      expect(await answers(first.baseUrl)).toEqual(reference);
      expect(await answers(second.baseUrl)).toEqual(reference);
    } finally {
      await second.close({ keepSchema: true });
      await first.close();
    }
  });

  it('sums usage per day and room from the buckets, paged', async () => {
    const r = await get(
      stats.baseUrl,
      `/v1/stats/usage?from=2021-06-01T00:00:00Z&to=2021-07-01T00:00:00Z&count=2`,
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      content: Array<Record<string, unknown>>;
      _links: { next?: { href: string } };
    };
    const seconds = (s: CraftedSession[]) => s.map(expectedRow).reduce((n, row) => n + row.duration, 0);
    expect(body.content).toEqual([
      expect.objectContaining({
        day: '2021-06-21',
        room_id: 'serv0room-x',
        participant_seconds: seconds(day1),
      }),
      expect.objectContaining({
        day: '2021-06-21',
        room_id: 'serv0room-y',
        participant_seconds: seconds(day1),
      }),
    ]);
    expect(body.content[0].participant_minutes).toBe(seconds(day1) / 60);
    expect(body._links.next?.href).toContain('page=1');
    const next = (await (await get(stats.baseUrl, body._links.next!.href)).json()) as { content: unknown[] };
    expect(next.content).toEqual([
      expect.objectContaining({
        day: '2021-06-22',
        room_id: 'serv0room-x',
        participant_seconds: seconds(day2),
      }),
      expect.objectContaining({
        day: '2021-06-23',
        room_id: 'serv0room-roles',
        participant_seconds: seconds(day3),
        peak_peers: Math.max(
          ...expectedBuckets(day3, new Date(DAY3.from), new Date(DAY3.to)).map((b) => b.peers),
        ),
      }),
    ]);
  });

  it('publishes one summary per ended life of a room', async () => {
    await tap.waitFor((e) => e.length >= 3, 10_000);
    const x1 = tap.events.find(
      (e) =>
        e.roomid === 'serv0room-x' && (e.data as { startedAt: string }).startedAt.startsWith('2021-06-21'),
    );
    const rows = day1.map(expectedRow);
    expect(x1?.data).toMatchObject({
      roomId: 'serv0room-x',
      participants: 4,
      sessions: 5,
      participantSeconds: rows.reduce((n, row) => n + row.duration, 0),
    });
    expect(tap.events.filter((e) => e.roomid === 'serv0room-x')).toHaveLength(2);
  });

  it("shows only the organisation's own rooms", async () => {
    const r = await get(
      stats.baseUrl,
      `/streaming/statistics/peers?room_id=serv0room-y&from=${DAY1.from}&to=${DAY1.to}`,
      orgB.token,
    );
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ data: null, errors: [expect.objectContaining({ code: 'no_data' })] });
    const own = await get(
      stats.baseUrl,
      `/streaming/statistics/peers?room_id=serv0room-x&from=${BOTH_DAYS.from}&to=${BOTH_DAYS.to}`,
      orgB.token,
    );
    expect(((await own.json()) as { data: unknown[] }).data).toEqual(expectedSessions(day2));
  });

  it.each([
    ['a bad time', `room_id=serv0room-x&from=yesterday&to=${DAY1.to}`, 400, 'invalid_period'],
    ['from after to', `room_id=serv0room-x&from=${DAY1.to}&to=${DAY1.from}`, 400, 'invalid_period'],
    ['no room id', `from=${DAY1.from}&to=${DAY1.to}`, 400, 'room_id_required'],
    [
      'no data in the period',
      `room_id=serv0room-x&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`,
      404,
      'no_data',
    ],
  ])('answers %s with the documented shape', async (_, query, status, code) => {
    for (const path of ['/streaming/statistics/peers', '/streaming/statistics/peers/summary']) {
      const r = await get(stats.baseUrl, `${path}?${query}`);
      expect(r.status).toBe(status);
      expect(await r.json()).toEqual({ data: null, errors: [expect.objectContaining({ code })] });
    }
  });

  it('answers 403 without a valid access token', async () => {
    const q = `/streaming/statistics/peers/summary?room_id=serv0room-x&from=${DAY1.from}&to=${DAY1.to}`;
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
      const r = await fetch(`${stats.baseUrl}${q}`, { headers });
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({
        data: null,
        errors: [expect.objectContaining({ code: 'unauthorized' })],
      });
    }
  });

  it('describes every route in its OpenAPI document, generated from the code', async () => {
    const doc = (await (await fetch(`${stats.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/streaming/statistics/peers',
        '/streaming/statistics/peers/summary',
        '/v1/stats/usage',
        '/v1/stats/rooms/{roomId}/buckets',
      ]),
    );
    const buckets = doc.paths['/v1/stats/rooms/{roomId}/buckets'].get;
    expect(buckets.parameters?.map((p) => p.name).sort()).toEqual(['from', 'roomId', 'to']);
  });

  it('reports joins, leaves and live gauges on /metrics', async () => {
    const text = await (await fetch(`${stats.baseUrl}/metrics`)).text();
    expect(text).toMatch(/stats_peer_joins/);
    expect(text).toMatch(/stats_peer_leaves\S*\{[^}]*reason="timed_out"/);
    expect(text).toMatch(/stats_rooms_live/);
    expect(text).toMatch(/stats_peers_present/);
  });

  it('places a role change naming its connection in that session only, not in every session of the peer open then', async () => {
    // A quick reconnect: the old connection was still open when the new one's role changed.
    const orgC = await accessToken(auth, 'Stats C');
    const room = 'serv0room-reconnect';
    const base = { source: '/confer/rooms', orgId: orgC.orgId, roomId: room };
    const peer = { roomId: room, conferenceNumber: '12345678', peerId: 'v1', face: 'webinar' as const };
    const left = (connectionId: string, role: 'viewer' | 'speaker', joinedAt: string, leftAt: string) => ({
      contract: PeerLeft,
      event: buildEvent(PeerLeft, {
        ...base,
        data: { ...peer, connectionId, role, joinedAt, leftAt, reason: 'left' as const },
      }),
    });
    await nats.publish([
      left('c_old', 'viewer', '2021-06-25T10:00:00Z', '2021-06-25T10:01:00Z'),
      left('c_new', 'speaker', '2021-06-25T10:00:50Z', '2021-06-25T10:02:00Z'),
      {
        contract: PeerRoleChanged,
        event: buildEvent(PeerRoleChanged, {
          ...base,
          time: t('2021-06-25T10:00:55Z'),
          data: { ...peer, connectionId: 'c_new', from: 'viewer', to: 'speaker', by: 'mod' },
        }),
      },
    ]);
    await nats.settled(stats.config.STATS_CONSUMER);
    const r = await get(
      stats.baseUrl,
      `/v1/stats/rooms/${room}/buckets?from=2021-06-25T00:00:00Z&to=2021-06-26T00:00:00Z`,
      orgC.token,
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as { buckets: Array<{ start: string; speakers: number; viewers: number }> };
    expect(body.buckets.map(({ start, speakers, viewers }) => ({ start, speakers, viewers }))).toEqual([
      { start: '2021-06-25T10:00:00.000Z', speakers: 0, viewers: 1 },
      // By peer and time, the old connection would have been promoted here too (2 speakers).
      { start: '2021-06-25T10:00:30.000Z', speakers: 1, viewers: 1 },
      { start: '2021-06-25T10:01:00.000Z', speakers: 1, viewers: 0 },
      { start: '2021-06-25T10:01:30.000Z', speakers: 1, viewers: 0 },
    ]);
  });
});
