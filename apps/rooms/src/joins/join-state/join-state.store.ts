import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ParticipantRole } from '@confer/contracts';
import { OUTBOX_NOTIFY_SQL, OutboxRow } from '@confer/outbox';
import type { MediaPermissionOverrides } from '../../moderation/media-permissions';
import { RoomSessionEntity } from '../../rooms/room-session.entity';
import type { RoomSettingsValues } from '../../rooms/room-settings';
import { PeerConnectionEntity } from '../../presence/peer-connection.entity';

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

/** One direct admission (`admit_join`): rows by column name, written at once under the room lock. */
export interface AdmissionPlan {
  org: string;
  room: string;
  peer: string;
  expect: unknown;
  session: Record<string, unknown>;
  limit: { max: number; broadcaster: boolean } | null;
  replacing: string | null;
  at: string;
  connection: Record<string, unknown>;
  entry: Record<string, unknown>;
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

  async admit(plan: AdmissionPlan): Promise<AdmissionOutcome> {
    const { rows } = await this.#pool.query({
      name: 'rooms.admit_join',
      text: ADMIT,
      values: [JSON.stringify(plan)],
    });
    return rows[0].outcome as AdmissionOutcome;
  }
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
