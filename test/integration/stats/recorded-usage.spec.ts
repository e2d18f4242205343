import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { buildEvent, EVENTS_STREAM, RecordingPartCompleted } from '@confer/contracts';
import { shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { RunningStatsService, startStatsService } from '../../support/stats-service.harness';
import { AttendanceStore } from '../../../apps/stats/src/ingestion/attendance-store';
import {
  CraftedEvent,
  CraftedSession,
  eventsOfRoom,
  expectedRow,
  StreamPublisher,
} from './attendance-stream';

const t = (iso: string) => new Date(iso);

interface CraftedPart {
  roomId: string;
  recordingId: string;
  partNumber: number;
  startedAt: string;
  durationSeconds: number;
  interrupted?: boolean;
  /** Defaults to a fresh one; the same id twice is the same part reported twice. */
  partId?: string;
}

/** recording.part-completed as the recording service publishes it (its own event id per part). */
function partCompleted(orgId: string, part: CraftedPart): CraftedEvent {
  const startedAt = t(part.startedAt);
  return {
    contract: RecordingPartCompleted,
    event: buildEvent(RecordingPartCompleted, {
      id: `${part.recordingId}:recording.part-completed:${part.partNumber}`,
      source: '/confer/recording',
      orgId,
      roomId: part.roomId,
      subject: part.recordingId,
      data: {
        recordingId: part.recordingId,
        roomId: part.roomId,
        partId: part.partId ?? randomUUID(),
        partNumber: part.partNumber,
        startedAt: startedAt.toISOString(),
        endedAt: new Date(startedAt.getTime() + part.durationSeconds * 1000).toISOString(),
        durationSeconds: part.durationSeconds,
        interrupted: part.interrupted ?? false,
      },
    }),
  };
}

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

interface UsageRow {
  day: string;
  room_id: string;
  participant_seconds: number;
  participant_minutes: number;
  peak_peers: number;
  recorded_seconds: number;
}
interface UsagePage {
  content: UsageRow[];
  _links: { self: { href: string }; next?: { href: string }; previous?: { href: string } };
}

const JULY = 'from=2021-07-01T00:00:00Z&to=2021-08-01T00:00:00Z';

// Participant time: a call on 1 July in `rec-call`, another on 2 July in `rec-call`, never recorded.
const call1: CraftedSession[] = [
  { peerId: 'p1', joinedAt: t('2021-07-01T10:00:10Z'), leftAt: t('2021-07-01T10:41:00Z') },
  { peerId: 'p2', joinedAt: t('2021-07-01T10:05:00Z'), leftAt: t('2021-07-01T10:30:00Z') },
];
const call2: CraftedSession[] = [
  { peerId: 'p1', joinedAt: t('2021-07-02T09:00:00Z'), leftAt: t('2021-07-02T09:10:00Z') },
];
const seconds = (s: CraftedSession[]) => s.map(expectedRow).reduce((n, row) => n + row.duration, 0);

describe('recorded time in usage (recording.part-completed on the bus, real PostgreSQL and NATS)', () => {
  let auth: RunningAuthService;
  let stats: RunningStatsService;
  let nats: StreamPublisher;
  let org: { orgId: string; token: string };

  const usage = async (query = JULY) => {
    const r = await fetch(`${stats.baseUrl}/v1/stats/usage?${query}`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    expect(r.status).toBe(200);
    return (await r.json()) as UsagePage;
  };
  const publishAndSettle = async (events: CraftedEvent[]) => {
    await nats.publish(events);
    await nats.settled(stats.config.STATS_CONSUMER);
  };

  // The first recording of `rec-call`: two parts on 1 July, the second interrupted (its
  // duration is what was kept, 1199.2 s, counted as 1200).
  const recording1 = [
    {
      roomId: 'rec-call',
      recordingId: 'rec_1',
      partNumber: 1,
      startedAt: '2021-07-01T10:01:00Z',
      durationSeconds: 1200,
    },
    {
      roomId: 'rec-call',
      recordingId: 'rec_1',
      partNumber: 2,
      startedAt: '2021-07-01T10:21:00Z',
      durationSeconds: 1199.2,
      interrupted: true,
    },
  ];
  // A room recorded without any session here, its second part running past midnight: it
  // counts whole on 1 July, not on 2 July.
  const recording2 = [
    {
      roomId: 'rec-only',
      recordingId: 'rec_2',
      partNumber: 1,
      startedAt: '2021-07-01T23:30:00Z',
      durationSeconds: 1200,
    },
    {
      roomId: 'rec-only',
      recordingId: 'rec_2',
      partNumber: 2,
      startedAt: '2021-07-01T23:50:00Z',
      durationSeconds: 1800.5,
    },
  ];
  let parts: CraftedEvent[];
  let published: CraftedEvent[];

  beforeAll(async () => {
    // Before the service's module is built: its meters come from the started provider.
    startTelemetry({ serviceName: 'stats-recorded-usage', env: {} });
    auth = await startAuthService();
    org = await accessToken(auth, 'Stats recordings');
    stats = await startStatsService(auth);
    nats = await StreamPublisher.open(auth.natsUrl);
    parts = [...recording1, ...recording2].map((p) => partCompleted(org.orgId, p));
    const republished = {
      // The same part under another event id (a producer that published it twice): one part.
      contract: RecordingPartCompleted,
      event: { ...parts[0].event, id: randomUUID() },
    };
    published = [
      ...eventsOfRoom(org.orgId, 'rec-call', call1),
      ...eventsOfRoom(org.orgId, 'rec-call', call2),
      ...parts,
      parts[1], // the same event twice (the stream cannot tell: no message id)
      republished,
    ];
    await publishAndSettle(published);
  });

  afterAll(async () => {
    await nats?.close();
    await stats?.close();
    await auth?.close();
    await shutdownTelemetry();
  });

  it('adds recorded seconds per UTC day and room, each part once, beside unchanged participant time', async () => {
    const page = await usage();
    expect(page.content).toEqual([
      {
        day: '2021-07-01',
        room_id: 'rec-call',
        participant_seconds: seconds(call1),
        participant_minutes: seconds(call1) / 60,
        peak_peers: 2,
        recorded_seconds: 1200 + 1200,
      },
      // Only recorded: a row with no participant time. The part running past midnight counts
      // whole on the day it started (1200 + 1801 s, 1800.5 rounded up).
      {
        day: '2021-07-01',
        room_id: 'rec-only',
        participant_seconds: 0,
        participant_minutes: 0,
        peak_peers: 0,
        recorded_seconds: 1200 + 1801,
      },
      // Never recorded: as before, with no recorded time.
      {
        day: '2021-07-02',
        room_id: 'rec-call',
        participant_seconds: seconds(call2),
        participant_minutes: seconds(call2) / 60,
        peak_peers: 1,
        recorded_seconds: 0,
      },
    ]);
    const rows = await stats.app.get(DataSource).query(`SELECT count(*)::int AS n FROM recorded_parts`);
    expect(rows[0].n).toBe(4);
  });

  it('counts a part by its start: a period starting at midnight leaves out the part that began before', async () => {
    const secondDay = await usage('from=2021-07-02T00:00:00Z&to=2021-07-03T00:00:00Z');
    expect(secondDay.content.map((r) => [r.room_id, r.recorded_seconds])).toEqual([['rec-call', 0]]);
    const lastHour = await usage('from=2021-07-01T23:40:00Z&to=2021-07-02T00:00:00Z');
    expect(lastHour.content).toEqual([
      expect.objectContaining({ day: '2021-07-01', room_id: 'rec-only', recorded_seconds: 1801 }),
    ]);
  });

  it('pages through recorded-only rows in day and room order, links keeping the period', async () => {
    const first = await usage(`${JULY}&count=2`);
    expect(first.content.map((r) => [r.day, r.room_id])).toEqual([
      ['2021-07-01', 'rec-call'],
      ['2021-07-01', 'rec-only'],
    ]);
    const next = (await (
      await fetch(`${stats.baseUrl}${first._links.next!.href}`, {
        headers: { authorization: `Bearer ${org.token}` },
      })
    ).json()) as UsagePage;
    expect(next.content.map((r) => [r.day, r.room_id, r.recorded_seconds])).toEqual([
      ['2021-07-02', 'rec-call', 0],
    ]);
    expect(next._links.next).toBeUndefined();
    const pastTheEnd = await usage(`${JULY}&count=2&page=5`);
    expect(pastTheEnd.content).toEqual([]);
    expect(pastTheEnd._links.previous?.href).toContain('page=4');
  });

  it('counts recorded seconds once on /metrics, without labels', async () => {
    const text = await (await fetch(`${stats.baseUrl}/metrics`)).text();
    expect(text).toContain('# TYPE stats_recorded_seconds_total counter');
    expect(text).toMatch(
      new RegExp(`^stats_recorded_seconds_total(\\{[^}]*\\})? ${1200 + 1200 + 1200 + 1801}$`, 'm'),
    );
  });

  it('counts a part once when it is redelivered after its transaction committed', async () => {
    const store = stats.app.get(AttendanceStore);
    const apply = store.apply.bind(store);
    const lost = partCompleted(org.orgId, {
      roomId: 'rec-call',
      recordingId: 'rec_3',
      partNumber: 1,
      startedAt: '2021-07-02T09:05:00Z',
      durationSeconds: 60,
    });
    // Deliveries the stream made beyond its messages: each redelivery moves the consumer's
    // sequence and not the stream's.
    const redeliveries = async () => {
      const { delivered } = await nats.jsm.consumers.info(EVENTS_STREAM, stats.config.STATS_CONSUMER);
      return delivered.consumer_seq - delivered.stream_seq;
    };
    const before = await redeliveries();
    // Its first applications commit, then fail as a lost acknowledgement would: the event is
    // not acknowledged, and JetStream delivers it again.
    let failures = 0;
    const spy = jest.spyOn(store, 'apply').mockImplementation(async (events) => {
      const applied = await apply(events);
      if (failures < 2 && events.some((e) => e.id === lost.event.id)) {
        failures++;
        throw new Error('acknowledgement lost');
      }
      return applied;
    });
    try {
      await publishAndSettle([lost]);
    } finally {
      spy.mockRestore();
    }
    expect(failures).toBe(2);
    expect(await redeliveries()).toBeGreaterThan(before);
    const page = await usage();
    expect(page.content.find((r) => r.day === '2021-07-02' && r.room_id === 'rec-call')).toMatchObject({
      participant_seconds: seconds(call2),
      recorded_seconds: 60,
    });
  });

  it('changes no answer when the whole stream is replayed', async () => {
    const before = await usage();
    await publishAndSettle(published);
    // A replay of the parts under new event ids (ids already forgotten) is kept out by part id.
    await publishAndSettle(
      parts.map(({ contract, event }) => ({ contract, event: { ...event, id: randomUUID() } })),
    );
    expect(await usage()).toEqual(before);
  });

  it('describes recorded_seconds in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${stats.baseUrl}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.components.schemas.UsageRowView.properties)).toEqual(
      expect.arrayContaining([
        'day',
        'room_id',
        'participant_seconds',
        'participant_minutes',
        'peak_peers',
        'recorded_seconds',
      ]),
    );
  });
});
