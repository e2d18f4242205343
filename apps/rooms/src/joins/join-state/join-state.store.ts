import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ParticipantRole } from '@confer/contracts';
import { OUTBOX_NOTIFY_SQL, OutboxRow } from '@confer/outbox';
import type { MediaPermissionOverrides } from '../../moderation/media-permissions';
import { RoomSessionEntity } from '../../rooms/room-session.entity';
import type { RoomSettingsValues } from '../../rooms/room-settings';
import { PeerConnectionEntity } from '../../presence/peer-connection.entity';
import type { SessionEntryEntity } from '../../coviu/session-entries/session-entry.entity';

/** Everything a join is decided on, read in one round trip (`join_state`, a migration). */
export interface JoinState {
  /** The room's prepared settings; empty when it was never prepared. */
  settings: RoomSettingsValues;
  session: RoomSessionEntity | null;
  /** The peer id's live connection in the live session, which a join replaces. */
  livePeer: PeerConnectionEntity | null;
  /** A moderator's waiting-room choice for the live session, or null when nobody chose. */
  waitingRoom: boolean | null;
  /** A role a moderator gave this peer id in the live session. */
  moderatedRole: ParticipantRole | null;
  moderatedPermissions: MediaPermissionOverrides;
  /** What a direct admission must find unchanged under the room lock; opaque here. */
  fingerprint: unknown;
}

/** One direct admission (`admit_join`): everything it writes, at once, under the room lock. */
export interface Admission {
  /** join_state's fingerprint, as read ahead. */
  expect: unknown;
  /** The live session, or the new one to start the room with when the fingerprint names none. */
  session: RoomSessionEntity;
  limit: { max: number; broadcaster: boolean } | null;
  /** The peer id's older connection, which this one replaces (left at `leftAt`). */
  replacing: string | null;
  leftAt: Date;
  connection: PeerConnectionEntity;
  entry: SessionEntryEntity;
  /** In the order they are published. */
  events: OutboxRow[];
}

/** `stale`: the state moved since it was read; decide again under the lock. */
export type AdmissionOutcome = 'admitted' | 'stale' | 'full';

interface StateRow {
  settings: RoomSettingsValues | null;
  session: SessionRow | null;
  peer: ConnectionRow | null;
  waitingRoom: boolean | null;
  role: ParticipantRole | null;
  permissions: MediaPermissionOverrides | null;
  fingerprint: unknown;
}

interface SessionRow {
  id: string;
  org_id: string;
  room_id: string;
  conference_number: string;
  media_server: string;
  started_at: string;
  ended_at: string | null;
  end_reason: 'empty' | 'closed' | null;
}

interface ConnectionRow {
  connection_id: string;
  session_id: string;
  org_id: string;
  room_id: string;
  peer_id: string;
  display_name: string | null;
  role: PeerConnectionEntity['role'];
  face: PeerConnectionEntity['face'];
  attributes: Record<string, unknown>;
  callbacks: PeerConnectionEntity['callbacks'];
  joined_at: string;
  last_seen_at: string;
  left_at: string | null;
  leave_reason: PeerConnectionEntity['leaveReason'];
}

const READ = 'SELECT join_state($1, $2, $3) AS state';
// The relays are woken only when something was written.
const ADMIT = `SELECT outcome, CASE WHEN outcome = 'admitted' THEN ${OUTBOX_NOTIFY_SQL}::text END AS woken
  FROM admit_join($1::jsonb) AS outcome`;

/** The pool under TypeORM: the hot path's two statements skip its query runners, and are prepared once per connection. */
interface PgPool {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** Reads a join's state and admits joins directly, each in one statement. */
@Injectable()
export class JoinStateStore {
  readonly #pool: PgPool;

  constructor(dataSource: DataSource) {
    this.#pool = (dataSource.driver as unknown as { master: PgPool }).master;
  }

  /** Without `manager`, outside any transaction and lock: a direct admission checks it again. */
  async read(orgId: string, roomId: string, peerId: string, manager?: EntityManager): Promise<JoinState> {
    const values = [orgId, roomId, peerId];
    const [{ state }] = (
      manager
        ? await manager.query(READ, values)
        : (await this.#pool.query({ name: 'rooms.join_state', text: READ, values })).rows
    ) as Array<{ state: StateRow }>;
    return {
      settings: state.settings ?? {},
      session: state.session ? sessionFromRow(state.session) : null,
      livePeer: state.peer ? connectionFromRow(state.peer) : null,
      waitingRoom: state.waitingRoom,
      moderatedRole: state.role,
      moderatedPermissions: state.permissions ?? {},
      fingerprint: state.fingerprint,
    };
  }

  async admit(admission: Admission): Promise<AdmissionOutcome> {
    const plan = planOf(admission);
    const { rows } = await this.#pool.query({
      name: 'rooms.admit_join',
      text: ADMIT,
      values: [JSON.stringify(plan)],
    });
    return rows[0].outcome as AdmissionOutcome;
  }
}

/** admit_join's argument: rows by column name (see the migration). */
function planOf(a: Admission) {
  const { session, connection, entry } = a;
  return {
    org: session.orgId,
    room: session.roomId,
    peer: connection.peerId,
    expect: a.expect,
    session: {
      id: session.id,
      org_id: session.orgId,
      room_id: session.roomId,
      conference_number: session.conferenceNumber,
      media_server: session.mediaServer,
      started_at: session.startedAt.toISOString(),
    },
    limit: a.limit,
    replacing: a.replacing,
    at: a.leftAt.toISOString(),
    connection: {
      connection_id: connection.connectionId,
      session_id: session.id,
      org_id: connection.orgId,
      room_id: connection.roomId,
      peer_id: connection.peerId,
      display_name: connection.displayName,
      role: connection.role,
      face: connection.face,
      attributes: connection.attributes,
      callbacks: connection.callbacks,
      joined_at: connection.joinedAt.toISOString(),
    },
    entry: {
      entry_id: entry.entryId,
      org_id: entry.orgId,
      session_id: entry.sessionId,
      room_session_id: entry.roomSessionId,
      connection_id: entry.connectionId,
      peer_id: entry.peerId,
      name: entry.name,
      role: entry.role,
      client_id: entry.clientId,
      subscription_id: entry.subscriptionId,
      access_token_sha256: entry.accessTokenSha256,
      entry_time: entry.entryTime.toISOString(),
    },
    events: a.events,
  };
}

const sessionFromRow = (r: SessionRow): RoomSessionEntity =>
  Object.assign(new RoomSessionEntity(), {
    id: r.id,
    orgId: r.org_id,
    roomId: r.room_id,
    conferenceNumber: r.conference_number,
    mediaServer: r.media_server,
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
    endReason: r.end_reason,
  });

const connectionFromRow = (r: ConnectionRow): PeerConnectionEntity =>
  Object.assign(new PeerConnectionEntity(), {
    connectionId: r.connection_id,
    sessionId: r.session_id,
    orgId: r.org_id,
    roomId: r.room_id,
    peerId: r.peer_id,
    displayName: r.display_name,
    role: r.role,
    face: r.face,
    attributes: r.attributes,
    callbacks: r.callbacks,
    joinedAt: new Date(r.joined_at),
    lastSeenAt: new Date(r.last_seen_at),
    leftAt: r.left_at ? new Date(r.left_at) : null,
    leaveReason: r.leave_reason,
  });
