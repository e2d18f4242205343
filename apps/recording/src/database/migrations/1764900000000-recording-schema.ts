import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class RecordingSchema1764900000000 implements MigrationInterface {
  name = 'RecordingSchema1764900000000';

  async up(q: QueryRunner): Promise<void> {
    // owner/lease_until: the replica running a recording renews its lease; a lapsed lease
    // means that replica died, and another takes the recording over.
    await q.query(`CREATE TABLE recordings (
      id uuid PRIMARY KEY,
      org_id text NOT NULL,
      room_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed')),
      trigger text NOT NULL,
      started_by text,
      started_at timestamptz NOT NULL,
      stop_requested_at timestamptz,
      stop_reason text,
      stopped_by text,
      stopped_at timestamptz,
      ready_at timestamptz,
      progress smallint NOT NULL DEFAULT 0,
      failure_reason text,
      owner text,
      lease_until timestamptz,
      expires_at timestamptz,
      deleted_at timestamptz,
      delete_reason text
    )`);
    // Only one active recording per room, whichever replica tries to start another.
    await q.query(
      `CREATE UNIQUE INDEX recordings_one_active ON recordings (org_id, room_id) WHERE status = 'recording'`,
    );
    await q.query(`CREATE INDEX recordings_by_org ON recordings (org_id, started_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX recordings_leases ON recordings (lease_until) WHERE status IN ('recording', 'processing')`,
    );
    await q.query(`CREATE INDEX recordings_expiry ON recordings (expires_at) WHERE deleted_at IS NULL`);
    // Gcore's video ids are numbers: every part is a video of its own.
    await q.query(`CREATE SEQUENCE video_ids START 100000`);
    await q.query(`CREATE TABLE recording_parts (
      id uuid PRIMARY KEY,
      recording_id uuid NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
      part_number integer NOT NULL,
      video_id bigint NOT NULL UNIQUE DEFAULT nextval('video_ids'),
      status text NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed')),
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      duration_seconds double precision,
      interrupted boolean NOT NULL DEFAULT false,
      work_dir text NOT NULL,
      file_id text NOT NULL UNIQUE,
      bytes bigint,
      UNIQUE (recording_id, part_number)
    )`);
    await q.query(`CREATE TABLE org_settings (
      org_id text PRIMARY KEY,
      auto_record boolean NOT NULL,
      start_delay_seconds integer NOT NULL,
      stop_delay_seconds integer NOT NULL,
      max_part_seconds integer NOT NULL,
      retention_days integer,
      signed_urls boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Rooms as their events tell (room.started / room.ended / room.settings-changed), and
    // the auto-recording timers of each: when to start, when to stop.
    await q.query(`CREATE TABLE rooms (
      org_id text NOT NULL,
      room_id text NOT NULL,
      live boolean NOT NULL DEFAULT false,
      auto_record boolean,
      changed_at timestamptz NOT NULL DEFAULT now(),
      auto_start_at timestamptz,
      auto_stop_at timestamptz,
      PRIMARY KEY (org_id, room_id)
    )`);
    await q.query(`CREATE INDEX rooms_auto_start ON rooms (auto_start_at) WHERE auto_start_at IS NOT NULL`);
    await q.query(`CREATE INDEX rooms_auto_stop ON rooms (auto_stop_at) WHERE auto_stop_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rooms`);
    await q.query(`DROP TABLE org_settings`);
    await q.query(`DROP TABLE recording_parts`);
    await q.query(`DROP SEQUENCE video_ids`);
    await q.query(`DROP TABLE recordings`);
  }
}
