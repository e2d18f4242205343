/**
 * Channel names are per database, not per schema: suffix the schema so a service's relays
 * are not woken by another service's writes. NOTIFY refuses names over 63 bytes where
 * LISTEN would truncate them, so both sides take the same 63-byte prefix, computed in SQL.
 */
const CHANNEL_SQL = `left('event_outbox.' || current_schema(), 63)`;

export const CHANNEL_QUERY = `SELECT ${CHANNEL_SQL} AS channel, current_schema() AS schema`;

/**
 * One round trip: the row, and the wake-up of the relays. NOTIFY is transactional (sent at
 * commit, dropped on rollback) and collapses repeats within a transaction.
 */
export const INSERT_AND_NOTIFY = `WITH inserted AS (
    INSERT INTO event_outbox (event_id, subject, event_type, schema_version, envelope, headers)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
  )
  SELECT pg_notify(${CHANNEL_SQL}, '')`;

/**
 * The relays' wake-up, as an expression for a caller that inserts outbox rows with its own
 * statement (OutboxWriter.row): evaluate it in the same transaction.
 */
export const OUTBOX_NOTIFY_SQL = `pg_notify(${CHANNEL_SQL}, '')`;

// Arbitrary constant naming "the outbox relay" in the two-key advisory lock space; the
// second key is the schema, so relays of different services never contend.
const RELAY_LOCK_CLASS = 0x0b0c;

export const TRY_RELAY_LOCK = `SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_CLASS}, hashtext(current_schema())) AS locked`;

export const TAKE_BATCH = `SELECT seq, event_id, event_type, schema_version, envelope, headers
  FROM event_outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`;

export const DELETE_PUBLISHED = `DELETE FROM event_outbox WHERE seq = ANY($1::bigint[])`;

export const RECORD_FAILURE = `UPDATE event_outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`;

export const SET_ASIDE = `WITH moved AS (DELETE FROM event_outbox WHERE seq = $1 RETURNING *)
  INSERT INTO event_outbox_dead
    (seq, event_id, subject, event_type, schema_version, envelope, headers, created_at, attempts, reason)
  SELECT seq, event_id, subject, event_type, schema_version, envelope, headers, created_at, attempts, $2
  FROM moved`;

// Age computed by the database: the writers' and the relay's clocks may disagree.
export const PENDING_STATS = `SELECT count(*)::int AS pending,
  (extract(epoch FROM now() - min(created_at)) * 1000)::float8 AS oldest_age_ms
  FROM event_outbox`;

export const TABLE_EXISTS = `SELECT to_regclass('event_outbox') IS NOT NULL AS present`;
