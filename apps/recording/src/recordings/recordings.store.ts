import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PartRow, RecordingRow, RecordingStatus } from './recording.rows';

type Db = DataSource | EntityManager;

/** A page of recordings, newest first, and the cursor of the next one. */
export interface RecordingPage {
  recordings: RecordingRow[];
  nextCursor: string | null;
}

export interface RecordingFilter {
  roomId?: string;
  status?: RecordingStatus;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: { startedAt: Date; id: string };
}

const UNIQUE_VIOLATION = '23505';
export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;

/** Every statement on recordings and their parts. */
@Injectable()
export class RecordingsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The non-transactional manager, for single statements. */
  dataSourceManager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts an active recording leased to `owner`; a unique violation means the room already has one. */
  async insert(
    tx: Db,
    r: Pick<RecordingRow, 'org_id' | 'room_id' | 'trigger' | 'started_by'> & {
      owner: string;
      leaseSeconds: number;
    },
  ): Promise<RecordingRow> {
    const [row] = (await tx.query(
      `INSERT INTO recordings (id, org_id, room_id, status, trigger, started_by, started_at, owner, lease_until)
       VALUES ($1, $2, $3, 'recording', $4, $5, now(), $6, now() + make_interval(secs => $7))
       RETURNING *`,
      [randomUUID(), r.org_id, r.room_id, r.trigger, r.started_by, r.owner, r.leaseSeconds],
    )) as RecordingRow[];
    return row;
  }

  async get(db: Db, orgId: string, id: string): Promise<RecordingRow | undefined> {
    const [row] = (await db.query(`SELECT * FROM recordings WHERE id = $1 AND org_id = $2`, [
      id,
      orgId,
    ])) as RecordingRow[];
    return row;
  }

  async byId(db: Db, id: string): Promise<RecordingRow | undefined> {
    const [row] = (await db.query(`SELECT * FROM recordings WHERE id = $1`, [id])) as RecordingRow[];
    return row;
  }

  async active(db: Db, orgId: string, roomId: string): Promise<RecordingRow | undefined> {
    const [row] = (await db.query(
      `SELECT * FROM recordings WHERE org_id = $1 AND room_id = $2 AND status = 'recording'`,
      [orgId, roomId],
    )) as RecordingRow[];
    return row;
  }

  async page(orgId: string, f: RecordingFilter): Promise<RecordingPage> {
    const where = ['org_id = $1', 'deleted_at IS NULL'];
    const params: unknown[] = [orgId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.roomId) add('room_id = ?', f.roomId);
    if (f.status) add('status = ?', f.status);
    if (f.from) add('started_at >= ?', f.from);
    if (f.to) add('started_at < ?', f.to);
    if (f.cursor) {
      params.push(f.cursor.startedAt, f.cursor.id);
      where.push(`(started_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT * FROM recordings WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as RecordingRow[];
    const more = rows.length > f.limit;
    const recordings = rows.slice(0, f.limit);
    const last = recordings[recordings.length - 1];
    return { recordings, nextCursor: more && last ? encodeCursor(last) : null };
  }

  parts(db: Db, recordingIds: string[]): Promise<PartRow[]> {
    if (recordingIds.length === 0) return Promise.resolve([]);
    return db.query(
      `SELECT * FROM recording_parts WHERE recording_id = ANY($1::uuid[]) ORDER BY recording_id, part_number`,
      [recordingIds],
    ) as Promise<PartRow[]>;
  }

  async insertPart(db: Db, recordingId: string, workDirOf: (partNumber: number) => string): Promise<PartRow> {
    const [{ next }] = (await db.query(
      `SELECT COALESCE(max(part_number), 0) + 1 AS next FROM recording_parts WHERE recording_id = $1`,
      [recordingId],
    )) as { next: number }[];
    const [row] = (await db.query(
      `INSERT INTO recording_parts (id, recording_id, part_number, status, started_at, work_dir, file_id)
       VALUES ($1, $2, $3, 'recording', now(), $4, $5) RETURNING *`,
      [randomUUID(), recordingId, next, workDirOf(next), randomBytes(18).toString('base64url')],
    )) as PartRow[];
    return row;
  }

  async updatePart(db: Db, id: string, change: Partial<Omit<PartRow, 'id'>>): Promise<void> {
    await this.update(db, 'recording_parts', id, change);
  }

  async updateRecording(db: Db, id: string, change: Partial<Omit<RecordingRow, 'id'>>): Promise<void> {
    await this.update(db, 'recordings', id, change);
  }

  /** Extends the lease of a recording this replica runs; false when it is no longer ours. */
  async renewLease(id: string, owner: string, leaseSeconds: number): Promise<RecordingRow | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE recordings SET lease_until = now() + make_interval(secs => $3)
       WHERE id = $1 AND owner = $2 RETURNING *`,
      [id, owner, leaseSeconds],
    )) as [RecordingRow[], number];
    return rows[0];
  }

  /** Takes over one unfinished recording whose replica stopped renewing its lease. */
  async claimOrphan(
    owner: string,
    leaseSeconds: number,
    runningHere: readonly string[] = [],
  ): Promise<RecordingRow | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE recordings SET owner = $1, lease_until = now() + make_interval(secs => $2)
       WHERE id = (
         SELECT id FROM recordings
         WHERE status IN ('recording', 'processing') AND lease_until < now() AND NOT (id = ANY($3::uuid[]))
         ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [owner, leaseSeconds, runningHere],
    )) as [RecordingRow[], number];
    return rows[0];
  }

  /** Asks the recording's runner (wherever it runs) to stop; false when it is not running. */
  async requestStop(
    db: Db,
    id: string,
    reason: string,
    by: string | null,
  ): Promise<RecordingRow | undefined> {
    const [rows] = (await db.query(
      `UPDATE recordings SET stop_requested_at = COALESCE(stop_requested_at, now()),
         stop_reason = COALESCE(stop_reason, $2), stopped_by = COALESCE(stopped_by, $3)
       WHERE id = $1 AND status = 'recording' RETURNING *`,
      [id, reason, by],
    )) as [RecordingRow[], number];
    return rows[0];
  }

  private async update(db: Db, table: string, id: string, change: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(change);
    if (columns.length === 0) return;
    const sets = columns.map((c, i) => `${c} = $${i + 2}`).join(', ');
    await db.query(`UPDATE ${table} SET ${sets} WHERE id = $1`, [id, ...columns.map((c) => change[c])]);
  }
}

export function encodeCursor(row: RecordingRow): string {
  return Buffer.from(JSON.stringify([row.started_at.toISOString(), row.id])).toString('base64url');
}

/** The cursor of a page, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { startedAt: Date; id: string } | null {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const startedAt = new Date(time);
    if (Number.isNaN(startedAt.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id))
      return null;
    return { startedAt, id };
  } catch {
    return null;
  }
}
