import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A refresh token is single-use: redeeming it marks it used and issues its
 * successor in the same family. Presenting a used one revokes the family.
 * Only a SHA-256 of the token is stored.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn('text', { name: 'token_hash' })
  tokenHash: string;

  @Index()
  @Column('text', { name: 'family_id' })
  familyId: string;

  @Column('text', { name: 'client_id' })
  clientId: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  @Column('text')
  scope: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
