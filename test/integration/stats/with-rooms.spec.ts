import { PeerJoinRefused } from '@confer/contracts';
import { shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { startRoomsFixture, RoomsFixture } from '../rooms/rooms-fixture';
import { RunningStatsService, startStatsService } from '../../support/stats-service.harness';
import { expectedBuckets, StreamPublisher } from './attendance-stream';

interface Grant {
  connectionId: string;
}
interface Row {
  person_id: string;
  join_time: number;
  leave_time: number | null;
  duration: number;
}

describe('stats service beside the real rooms service', () => {
  let f: RoomsFixture;
  let stats: RunningStatsService;
  let nats: StreamPublisher;

  beforeAll(async () => {
    // Before the services' modules are built: their meters come from the started provider.
    startTelemetry({ serviceName: 'stats-with-rooms', env: {} });
    f = await startRoomsFixture({ PEER_HEARTBEAT_TIMEOUT_SECONDS: '2', PRESENCE_SWEEP_SECONDS: '0.3' });
    stats = await startStatsService(f.auth);
    nats = await StreamPublisher.open(f.auth.natsUrl);
  });

  afterAll(async () => {
    await nats?.close();
    await stats?.close();
    await f?.close();
    await shutdownTelemetry();
  });

  const sessions = async (roomId: string) => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const r = await fetch(
      `${stats.baseUrl}/streaming/statistics/peers?room_id=${roomId}&from=${from}&to=${to}`,
      { headers: { authorization: `Bearer ${f.accessToken}` } },
    );
    return { status: r.status, body: (await r.json()) as { data: Row[] | null } };
  };
  const leave = (roomId: string, peerId: string, connectionId: string) =>
    fetch(`${f.rooms.baseUrl}/v1/rooms/${roomId}/peers/${peerId}/leave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId }),
    });

  it('follows joins, leaves, rejoins and time-outs of real peers', async () => {
    const room = 'stats-live-1';
    const join = async (peer: string) =>
      (await (await f.join(room, { token: await f.mint(peer, room) })).json()) as Grant;

    const alice = await join('alice');
    const bob = await join('bob');
    // The joins reach the stream through rooms' outbox a moment later: wait for them to be
    // published before waiting for stats to have consumed everything published.
    await f.tap.waitFor(() => f.tap.of('peer.joined').filter((e) => e.roomid === room).length >= 2);
    await nats.settled(stats.config.STATS_CONSUMER);
    let now = await sessions(room);
    expect(now.status).toBe(200);
    expect(now.body.data!.map((s) => [s.person_id, s.leave_time])).toEqual(
      expect.arrayContaining([
        ['alice', null],
        ['bob', null],
      ]),
    );

    expect((await leave(room, 'alice', alice.connectionId)).status).toBe(204);
    const alice2 = await join('alice');
    expect((await leave(room, 'alice', alice2.connectionId)).status).toBe(204);
    // bob stops sending heartbeats: the rooms service times him out, and the room ends.
    await f.tap.waitFor(() => f.tap.of('room.ended').some((e) => e.roomid === room), 10_000);
    await nats.settled(stats.config.STATS_CONSUMER);

    now = await sessions(room);
    const rows = now.body.data!;
    expect(rows).toHaveLength(3);
    expect(rows.filter((s) => s.person_id === 'alice')).toHaveLength(2);
    for (const s of rows) {
      expect(s.leave_time).not.toBeNull();
      expect(s.join_time % 30).toBe(0);
      expect(s.duration).toBe(s.leave_time! - s.join_time);
      expect(s.duration).toBeGreaterThanOrEqual(30);
    }
    const left = f.tap.of('peer.left').filter((e) => e.roomid === room);
    expect(left.map((e) => (e.data as { reason: string }).reason).sort()).toEqual([
      'left',
      'left',
      'timed_out',
    ]);

    // The rooms service's own events, joined to what the API reports.
    for (const e of left) {
      const d = e.data as { peerId: string; joinedAt: string; leftAt: string };
      const join = Math.floor(Date.parse(d.joinedAt) / 30_000) * 30;
      const leaveAt = Math.max(join + 30, Math.ceil(Date.parse(d.leftAt) / 30_000) * 30);
      expect(rows).toContainEqual({
        person_id: d.peerId,
        join_time: join,
        leave_time: leaveAt,
        duration: leaveAt - join,
      });
    }
  });

  it('moves a webinar viewer the moderator makes a speaker from viewers to speakers, from that bucket on', async () => {
    const room = 'stats-webinar-1';
    const admitted = async (body: Record<string, unknown>) => {
      const r = await f.join(room, body);
      expect(r.status).toBe(201);
      return (await r.json()) as Grant;
    };
    const host = await admitted({ token: await f.mint('host-1', room, { role: 'moderator' }) });
    const viewer = await admitted({ orgId: f.org.orgId, face: 'webinar', peerId: 'v-1' });
    const promote = await fetch(`${f.rooms.baseUrl}/v1/rooms/${room}/peers/v-1/role`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'speaker', connectionId: host.connectionId }),
    });
    expect(promote.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // the leave comes later than the change
    expect((await leave(room, 'v-1', viewer.connectionId)).status).toBe(204);
    expect((await leave(room, 'host-1', host.connectionId)).status).toBe(204);
    await f.tap.waitFor(() => f.tap.of('room.ended').some((e) => e.roomid === room), 10_000);
    await nats.settled(stats.config.STATS_CONSUMER);

    // The sessions and the change as the rooms service published them, read by the tests' rule.
    const of = (type: string) => f.tap.of(type).filter((e) => e.roomid === room);
    const changes = of('peer.role-changed');
    expect(changes.map((e) => e.data)).toEqual([
      expect.objectContaining({
        peerId: 'v-1',
        connectionId: viewer.connectionId,
        from: 'viewer',
        to: 'speaker',
      }),
    ]);
    const sessions = of('peer.left').map((e) => {
      const d = e.data as { peerId: string; joinedAt: string; leftAt: string; role: string };
      const joinedRole = (
        of('peer.joined').find((j) => (j.data as { peerId: string }).peerId === d.peerId)!.data as {
          role: 'viewer' | 'moderator';
        }
      ).role;
      return {
        peerId: d.peerId,
        role: joinedRole,
        joinedAt: new Date(d.joinedAt),
        leftAt: new Date(d.leftAt),
        roleChanges: d.peerId === 'v-1' ? [{ at: new Date(changes[0].time), to: 'speaker' as const }] : [],
      };
    });
    const from = new Date(Date.now() - 3600_000);
    const to = new Date(Date.now() + 3600_000);
    const r = await fetch(
      `${stats.baseUrl}/v1/stats/rooms/${room}/buckets?from=${from.toISOString()}&to=${to.toISOString()}`,
      { headers: { authorization: `Bearer ${f.accessToken}` } },
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as { buckets: Array<{ start: string; speakers: number; viewers: number }> };
    expect(body.buckets).toEqual(expectedBuckets(sessions, from, to));
    // The bucket of the change already counts the promoted viewer as a speaker.
    const changeBucket = new Date(Math.floor(Date.parse(changes[0].time) / 30_000) * 30_000).toISOString();
    expect(body.buckets.find((b) => b.start === changeBucket)).toMatchObject({ speakers: 2, viewers: 0 });
  });

  it('counts refused joins by reason on /metrics, a redelivered refusal once', async () => {
    const room = 'stats-locked-1';
    const prepared = await fetch(`${f.rooms.baseUrl}/v1/rooms/${room}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${f.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ locked: true }),
    });
    expect(prepared.status).toBe(201);
    for (const peerId of ['late-1', 'late-2'])
      expect((await f.join(room, { orgId: f.org.orgId, peerId })).status).toBe(423);
    const refusals = () => f.tap.of('peer.join-refused').filter((e) => e.roomid === room);
    await f.tap.waitFor(() => refusals().length === 2);
    await nats.settled(stats.config.STATS_CONSUMER);
    const counted = async () => {
      const text = await (await fetch(`${stats.baseUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => /^stats_join_refusals\S*\{[^}]*reason="room_locked"/.test(l));
      return line ? Number(line.split(' ').at(-1)) : undefined;
    };
    expect(await counted()).toBe(2);

    // The same two events again, as a redelivery would bring them: recorded by id, not counted.
    await nats.publish(refusals().map((event) => ({ contract: PeerJoinRefused, event })));
    await nats.settled(stats.config.STATS_CONSUMER);
    expect(await counted()).toBe(2);
  });
});
