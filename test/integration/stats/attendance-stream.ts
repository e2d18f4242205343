import { randomUUID } from 'crypto';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import {
  AnyEventEnvelope,
  buildEvent,
  EVENTS_STREAM,
  EventContract,
  PeerJoined,
  PeerLeft,
  PeerRoleChanged,
  RoomEnded,
  RoomStarted,
  subjectOf,
} from '@confer/contracts';

export interface CraftedSession {
  peerId: string;
  joinedAt: Date;
  /** Undefined: still in the room. */
  leftAt?: Date;
  role?: Role;
  reason?: 'left' | 'kicked' | 'replaced' | 'timed_out' | 'room_closed';
  /** Role changes while in the room, in time order; `role` is the role it joined with. */
  roleChanges?: { at: Date; to: Role }[];
}

type Role = 'participant' | 'viewer' | 'moderator' | 'speaker';

/** The role a session holds after its changes (what the rooms service reports in peer.left). */
export const finalRole = (s: CraftedSession): Role => s.roleChanges?.at(-1)?.to ?? s.role ?? 'participant';

export interface CraftedEvent {
  contract: EventContract;
  event: AnyEventEnvelope;
}

const CONFERENCE = '12345678';

/** The events the rooms service would publish for these sessions of one life of a room. */
export function eventsOfRoom(orgId: string, roomId: string, sessions: CraftedSession[]): CraftedEvent[] {
  const startedAt = new Date(Math.min(...sessions.map((s) => s.joinedAt.getTime())));
  const closed = sessions.every((s) => s.leftAt);
  const endedAt = closed ? new Date(Math.max(...sessions.map((s) => s.leftAt!.getTime()))) : undefined;
  const base = { source: '/confer/rooms', orgId, roomId };
  const out: CraftedEvent[] = [
    {
      contract: RoomStarted,
      event: buildEvent(RoomStarted, {
        ...base,
        data: {
          roomId,
          conferenceNumber: CONFERENCE,
          startedAt: startedAt.toISOString(),
          mediaServer: 'serv0',
        },
      }),
    },
  ];
  for (const s of sessions) {
    const peer = {
      roomId,
      conferenceNumber: CONFERENCE,
      peerId: s.peerId,
      connectionId: randomUUID(),
      role: s.role ?? 'participant',
      face: s.role === 'viewer' ? ('webinar' as const) : ('call' as const),
      joinedAt: s.joinedAt.toISOString(),
    };
    out.push({ contract: PeerJoined, event: buildEvent(PeerJoined, { ...base, data: peer }) });
    let role: Role = s.role ?? 'participant';
    for (const change of s.roleChanges ?? []) {
      out.push({
        contract: PeerRoleChanged,
        event: buildEvent(PeerRoleChanged, {
          ...base,
          time: change.at,
          data: {
            roomId,
            conferenceNumber: CONFERENCE,
            peerId: s.peerId,
            from: role,
            to: change.to,
            by: 'mod',
          },
        }),
      });
      role = change.to;
    }
    if (s.leftAt)
      out.push({
        contract: PeerLeft,
        event: buildEvent(PeerLeft, {
          ...base,
          data: { ...peer, role, leftAt: s.leftAt.toISOString(), reason: s.reason ?? 'left' },
        }),
      });
  }
  if (endedAt)
    out.push({
      contract: RoomEnded,
      event: buildEvent(RoomEnded, {
        ...base,
        data: {
          roomId,
          conferenceNumber: CONFERENCE,
          startedAt: startedAt.toISOString(),
          endedAt: endedAt.toISOString(),
          reason: 'empty',
        },
      }),
    });
  return out;
}

/** Raw JetStream publication, without a message id: the server cannot deduplicate, only the service can. */
export class StreamPublisher {
  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
  ) {}

  static async open(natsUrl: string): Promise<StreamPublisher> {
    const nc = await connect({ servers: natsUrl });
    return new StreamPublisher(nc, await nc.jetstreamManager());
  }

  async publish(events: readonly CraftedEvent[]): Promise<void> {
    const js = this.nc.jetstream();
    for (const { contract, event } of events)
      await js.publish(subjectOf(contract, event), new TextEncoder().encode(JSON.stringify(event)));
  }

  /** Resolves once the durable consumer has nothing pending and nothing unacknowledged. */
  async settled(durable: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.jsm.consumers.info(EVENTS_STREAM, durable).catch(() => undefined);
      if (info && info.num_pending === 0 && info.num_ack_pending === 0) return;
      if (Date.now() > deadline)
        throw new Error(`consumer ${durable} did not settle: ${JSON.stringify(info)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

/** The tests' own reading of the counting rule (docs/stats.md), kept apart from the service's code. */
export function expectedRow(s: CraftedSession) {
  const join = Math.floor(s.joinedAt.getTime() / 30_000) * 30;
  const leave = Math.max(join + 30, Math.ceil(s.leftAt!.getTime() / 30_000) * 30);
  return { person_id: s.peerId, join_time: join, leave_time: leave, duration: leave - join };
}

/**
 * The tests' own buckets of finished sessions, straight from the rule's wording: a session is
 * in every bucket from its rounded join to its rounded leave, under the last role it held in
 * that bucket (its join role when no change happened before the bucket's end).
 */
export function expectedBuckets(sessions: CraftedSession[], from: Date, to: Date) {
  const buckets = new Map<number, { peers: number; speakers: number; viewers: number }>();
  for (const s of sessions.filter((x) => x.leftAt)) {
    const { join_time, leave_time } = expectedRow(s);
    for (let b = join_time; b < leave_time; b += 30) {
      if (b * 1000 < from.getTime() || b * 1000 >= to.getTime()) continue;
      const changed = (s.roleChanges ?? []).filter((c) => c.at.getTime() < (b + 30) * 1000).at(-1);
      const role = changed?.to ?? s.role ?? 'participant';
      const row = buckets.get(b) ?? { peers: 0, speakers: 0, viewers: 0 };
      row.peers++;
      if (role === 'viewer') row.viewers++;
      else row.speakers++;
      buckets.set(b, row);
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([b, row]) => ({
      start: new Date(b * 1000).toISOString(),
      ...row,
      participant_seconds: row.peers * 30,
    }));
}
