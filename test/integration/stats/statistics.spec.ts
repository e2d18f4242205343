import { DataSource } from 'typeorm';
import { shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { EventTap } from '../../support/event-tap';
import { RunningStatsService, startStatsService } from '../../support/stats-service.harness';
import { CraftedSession, eventsOfRoom, expectedRow, StreamPublisher } from './attendance-stream';

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

  it('reports joins, leaves and live gauges on /metrics', async () => {
    const text = await (await fetch(`${stats.baseUrl}/metrics`)).text();
    expect(text).toMatch(/stats_peer_joins/);
    expect(text).toMatch(/stats_peer_leaves\S*\{[^}]*reason="timed_out"/);
    expect(text).toMatch(/stats_rooms_live/);
    expect(text).toMatch(/stats_peers_present/);
  });
});
