import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * join_state in PL/pgSQL: a SQL-language function that cannot be inlined is planned
 * again at every call, twice per join (the read, and admit_join's check); PL/pgSQL keeps
 * its plans for the connection's life. Same signature, same answer.
 */
export class JoinStatePlpgsql1764200000006 implements MigrationInterface {
  name = 'JoinStatePlpgsql1764200000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION join_state(p_org text, p_room text, p_peer text) RETURNS jsonb
      LANGUAGE plpgsql STABLE AS $$
      DECLARE
        v_settings jsonb;
        v_session room_sessions;
        v_peer peer_connections;
        v_waiting boolean;
        v_role text;
        v_permissions jsonb;
      BEGIN
        SELECT settings INTO v_settings FROM rooms WHERE org_id = p_org AND room_id = p_room;
        SELECT * INTO v_session FROM room_sessions
         WHERE org_id = p_org AND room_id = p_room AND ended_at IS NULL;
        IF v_session.id IS NOT NULL THEN
          SELECT * INTO v_peer FROM peer_connections
           WHERE session_id = v_session.id AND peer_id = p_peer AND left_at IS NULL;
          SELECT waiting_room INTO v_waiting FROM live_room_settings WHERE session_id = v_session.id;
          SELECT role INTO v_role FROM peer_role_overrides WHERE session_id = v_session.id AND peer_id = p_peer;
          SELECT permissions INTO v_permissions FROM peer_media_permissions
           WHERE session_id = v_session.id AND peer_id = p_peer;
        END IF;
        RETURN jsonb_build_object(
          'settings', v_settings,
          'session', CASE WHEN v_session.id IS NULL THEN NULL ELSE to_jsonb(v_session) END,
          'peer', CASE WHEN v_peer.connection_id IS NULL THEN NULL ELSE to_jsonb(v_peer) END,
          'waitingRoom', v_waiting, 'role', v_role, 'permissions', v_permissions,
          'fingerprint', jsonb_build_object(
            'session', v_session.id::text, 'connection', v_peer.connection_id,
            'waitingRoom', v_waiting, 'role', v_role, 'permissions', v_permissions));
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION join_state(p_org text, p_room text, p_peer text) RETURNS jsonb
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
  }
}
