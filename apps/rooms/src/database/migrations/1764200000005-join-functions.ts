import { MigrationInterface, QueryRunner } from 'typeorm';

/** admit_join as first written; AdmitJoinByKeys (…0009) replaces it, and restores it on the way down. */
export const ADMIT_JOIN_V1 = `CREATE FUNCTION admit_join(plan jsonb) RETURNS text
      LANGUAGE plpgsql AS $$
      DECLARE
        p_org text := plan->>'org';
        p_room text := plan->>'room';
        v_session uuid := (plan->'connection'->>'session_id')::uuid;
        v_present int;
      BEGIN
        -- The same lock as every other change to the room (lockRoom), on every replica.
        PERFORM pg_advisory_xact_lock(hashtextextended('room:' || p_org || '/' || p_room, 0));
        -- A new statement, so a fresh snapshot: it sees what committed while we waited.
        IF join_state(p_org, p_room, plan->>'peer')->'fingerprint' IS DISTINCT FROM plan->'expect' THEN
          RETURN 'stale';
        END IF;

        IF plan->'expect'->>'session' IS NULL THEN
          IF EXISTS (SELECT 1 FROM room_sessions
                      WHERE conference_number = plan->'session'->>'conference_number' AND ended_at IS NULL) THEN
            RETURN 'stale';
          END IF;
        ELSIF jsonb_typeof(plan->'limit') = 'object' THEN
          SELECT count(*) INTO v_present FROM peer_connections c
           WHERE c.session_id = v_session AND c.left_at IS NULL
             AND (c.role = 'viewer') = NOT (plan->'limit'->>'broadcaster')::boolean
             AND c.connection_id <> coalesce(plan->>'replacing', '');
          IF v_present >= (plan->'limit'->>'max')::int THEN
            RETURN 'full';
          END IF;
        END IF;

        IF plan->'expect'->>'session' IS NULL THEN
          INSERT INTO rooms (org_id, room_id, settings, prepared) VALUES (p_org, p_room, '{}', false)
            ON CONFLICT DO NOTHING;
          INSERT INTO room_sessions (id, org_id, room_id, conference_number, media_server, started_at)
          SELECT id, org_id, room_id, conference_number, media_server, started_at
            FROM jsonb_populate_record(NULL::room_sessions, plan->'session');
        END IF;
        IF plan->>'replacing' IS NOT NULL THEN
          UPDATE peer_connections SET left_at = (plan->>'at')::timestamptz, leave_reason = 'replaced'
           WHERE connection_id = plan->>'replacing' AND left_at IS NULL;
        END IF;
        INSERT INTO peer_connections (connection_id, session_id, org_id, room_id, peer_id, display_name, role,
                                      face, attributes, callbacks, joined_at, last_seen_at)
        SELECT connection_id, session_id, org_id, room_id, peer_id, display_name, role,
               face, attributes, callbacks, joined_at, joined_at
          FROM jsonb_populate_record(NULL::peer_connections, plan->'connection');
        INSERT INTO session_entries (entry_id, org_id, session_id, room_session_id, connection_id, peer_id, name,
                                     role, client_id, subscription_id, access_token_sha256, entry_time)
        SELECT entry_id, org_id, session_id, room_session_id, connection_id, peer_id, name,
               role, client_id, subscription_id, access_token_sha256, entry_time
          FROM jsonb_populate_record(NULL::session_entries, plan->'entry');
        INSERT INTO event_outbox (event_id, subject, event_type, schema_version, envelope, headers)
        SELECT e.event_id, e.subject, e.event_type, e.schema_version, e.envelope, e.headers
          FROM jsonb_array_elements(plan->'events') WITH ORDINALITY AS a(event, n),
               jsonb_populate_record(NULL::event_outbox, a.event) AS e
         ORDER BY a.n;
        RETURN 'admitted';
      END
      $$`;

/**
 * A join in two round trips (joins are the hot path, and on a small machine each round
 * trip costs more CPU than the work it carries):
 *
 * - `join_state` reads, without a lock, everything a join is decided on: the room's
 *   prepared settings, its live session, the peer's live connection, and what moderators
 *   chose (waiting room, the peer's role and media permissions). Its `fingerprint` is the
 *   part of that state a grant is signed on.
 * - `admit_join` then takes the room lock, and admits only if the fingerprint is still
 *   the same (else answers `stale`, and the caller decides again under the lock): it
 *   checks the limit, starts the room when idle, replaces the peer's older connection,
 *   and writes the new connection, its session entry and their events, all at once.
 *
 * Unqualified names: the connection's search_path is the service's schema, where both
 * functions live beside their tables.
 */
export class JoinFunctions1764200000005 implements MigrationInterface {
  name = 'JoinFunctions1764200000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION join_state(p_org text, p_room text, p_peer text) RETURNS jsonb
      LANGUAGE sql STABLE AS $$
        WITH live AS (
          SELECT * FROM room_sessions WHERE org_id = p_org AND room_id = p_room AND ended_at IS NULL
        ), peer AS (
          SELECT p.* FROM peer_connections p, live
           WHERE p.session_id = live.id AND p.peer_id = p_peer AND p.left_at IS NULL
        ), state AS (
          SELECT (SELECT settings FROM rooms WHERE org_id = p_org AND room_id = p_room) AS settings,
                 (SELECT row_to_json(live) FROM live) AS session,
                 (SELECT row_to_json(peer) FROM peer) AS peer,
                 (SELECT s.waiting_room FROM live_room_settings s, live WHERE s.session_id = live.id) AS waiting_room,
                 (SELECT o.role FROM peer_role_overrides o, live
                   WHERE o.session_id = live.id AND o.peer_id = p_peer) AS role,
                 (SELECT m.permissions FROM peer_media_permissions m, live
                   WHERE m.session_id = live.id AND m.peer_id = p_peer) AS permissions
        )
        SELECT jsonb_build_object(
          'settings', settings, 'session', session, 'peer', peer,
          'waitingRoom', waiting_room, 'role', role, 'permissions', permissions,
          'fingerprint', jsonb_build_object(
            'session', session->>'id', 'connection', peer->>'connection_id',
            'waitingRoom', waiting_room, 'role', role, 'permissions', permissions))
        FROM state
      $$`);

    // plan: { org, room, peer, expect (join_state's fingerprint), session (the row to start
    // the room with when expect.session is null), limit ({ max, broadcaster } or null),
    // replacing (connection id or null), at (the replaced connection's left_at),
    // connection, entry (rows by column name), events (outbox rows, in order) }.
    await q.query(ADMIT_JOIN_V1);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS admit_join(jsonb)');
    await q.query('DROP FUNCTION IF EXISTS join_state(text, text, text)');
  }
}
