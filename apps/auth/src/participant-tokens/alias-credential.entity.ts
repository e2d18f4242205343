import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The signing secret of a private alias (Datagram form): tokens for it are HS256 with this secret. */
@Entity({ name: 'alias_credentials' })
@Index(['orgId'])
export class AliasCredentialEntity {
  @PrimaryColumn('text', { name: 'alias_id' })
  aliasId: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  /** The room the alias opens. */
  @Column('text', { name: 'room_id' })
  roomId: string;

  @Column('text', { name: 'secret_sealed' })
  secretSealed: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
