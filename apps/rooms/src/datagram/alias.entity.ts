import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ALIAS_TYPES = ['conference', 'live'] as const;
export type AliasType = (typeof ALIAS_TYPES)[number];

/**
 * A Datagram private alias: a named entrance to one room, opened by tokens signed
 * with the alias's jwt_secret. The secret is held by the auth service, not here.
 */
@Entity({ name: 'aliases' })
export class AliasEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text')
  type: AliasType;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { nullable: true })
  passcode: string | null;

  @Column('text', { name: 'stream_key', nullable: true })
  streamKey: string | null;

  /** The room the alias opens (its own id: alias ids are valid room ids). */
  @Column('text', { name: 'room_id' })
  roomId: string;

  @Column('timestamptz', { name: 'expired_at' })
  expiredAt: Date;

  @Column('timestamptz', { name: 'inserted_at' })
  insertedAt: Date;
}
