import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A raised hand belongs to one connection: a peer that reconnects comes back with its hand down. */
@Entity({ name: 'raised_hands' })
export class RaisedHandEntity {
  @PrimaryColumn('text', { name: 'connection_id' })
  connectionId: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('text', { name: 'peer_id' })
  peerId: string;

  @Column('timestamptz', { name: 'raised_at' })
  raisedAt: Date;
}
