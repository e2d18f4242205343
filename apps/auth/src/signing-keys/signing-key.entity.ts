import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';

/**
 * The platform's own RS256 keys. A key is published (JWKS) from the moment it is
 * created as `next`, signs only once `active`, and stays published while `retired`
 * until `publishUntil`, when every token it signed has expired.
 */
export type SigningKeyStatus = 'next' | 'active' | 'retired';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn('text')
  kid: string;

  @Column('text')
  alg: 'RS256';

  @Column('text')
  status: SigningKeyStatus;

  @Column('jsonb', { name: 'public_jwk' })
  publicJwk: JWK;

  @Column('text', { name: 'private_key_sealed' })
  privateKeySealed: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'activated_at', nullable: true })
  activatedAt: Date | null;

  @Column('timestamptz', { name: 'publish_until', nullable: true })
  publishUntil: Date | null;
}
