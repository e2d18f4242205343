import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
@Index(['orgId', 'createdAt'])
export class ApiKeyEntity {
  /** The public half of the credential: `api_key` in Basic auth, `iss` of session tokens. */
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text', { nullable: true })
  name: string | null;

  /** The secret, sealed with SecretBox (context = key id). Never returned after creation. */
  @Column('text', { name: 'secret_sealed' })
  secretSealed: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
