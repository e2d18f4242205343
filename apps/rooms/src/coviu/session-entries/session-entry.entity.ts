import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One grant of access to a session (a room), as Coviu's session entries list them. */
@Entity({ name: 'session_entries' })
export class SessionEntryEntity {
  @PrimaryColumn('text', { name: 'entry_id' })
  entryId: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  /** Coviu's session id is the room id (the session link's `sid`). */
  @Column('text', { name: 'session_id' })
  sessionId: string;

  /** The life of the room the entry was granted in. */
  @Column('uuid', { name: 'room_session_id' })
  roomSessionId: string;

  @Column('text', { name: 'connection_id' })
  connectionId: string;

  @Column('text', { name: 'peer_id' })
  peerId: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text')
  role: string;

  /** The API key that signed a Coviu session link; null for other forms of entry. */
  @Column('text', { name: 'client_id', nullable: true })
  clientId: string | null;

  /** The subscription an owner entered under; null for guests and non-Coviu joins. */
  @Column('text', { name: 'subscription_id', nullable: true })
  subscriptionId: string | null;

  /** SHA-256 (hex) of the participant token, so an integrator can match entries to tokens it issued. */
  @Column('text', { name: 'access_token_sha256', nullable: true })
  accessTokenSha256: string | null;

  @Column('timestamptz', { name: 'entry_time' })
  entryTime: Date;
}
