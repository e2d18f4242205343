import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An RSA public key an organisation registered to sign its own room tokens (RS256). */
@Entity({ name: 'organisation_public_keys' })
@Index(['orgId'])
export class OrganisationPublicKeyEntity {
  /** Also the `kid` the organisation puts in its token headers. */
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { name: 'public_key_pem' })
  publicKeyPem: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
