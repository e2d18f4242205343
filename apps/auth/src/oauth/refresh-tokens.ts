import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'crypto';
import { Repository } from 'typeorm';
import { AUTH_CONFIG, AuthConfig } from '../config/auth.config';
import { RefreshTokenEntity } from './refresh-token.entity';
import { GroupCommit } from '@confer/database';
import { DataSource } from 'typeorm';
import { buildEvent, RefreshTokenReuseDetected } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';

interface NewRefreshToken {
  tokenHash: string;
  familyId: string;
  clientId: string;
  orgId: string;
  scope: string;
}

export type Redemption =
  | { outcome: 'redeemed'; token: RefreshTokenEntity }
  | { outcome: 'unknown' | 'expired' | 'revoked' | 'wrong_client' }
  | { outcome: 'reused'; token: RefreshTokenEntity };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Single-use refresh tokens in families: a replayed token revokes its whole family. */
@Injectable()
export class RefreshTokens {
  // Every client_credentials grant writes a token: grouping the inserts is what lets
  // the token endpoint keep up with RSA signing.
  readonly #inserts = new GroupCommit<NewRefreshToken>((rows) => this.insert(rows));

  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Issues a token; a new family unless one is given (the successor of a redeemed token). */
  async issue(grant: { clientId: string; orgId: string; scope: string; familyId?: string }): Promise<string> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    await this.#inserts.add({
      tokenHash: hashOf(token),
      familyId: grant.familyId ?? randomUUID(),
      clientId: grant.clientId,
      orgId: grant.orgId,
      scope: grant.scope,
    });
    return token;
  }

  private async insert(rows: NewRefreshToken[]): Promise<void> {
    // One multi-row statement through unnest(): a single round trip and commit.
    await this.tokens.query(
      `INSERT INTO refresh_tokens (token_hash, family_id, client_id, org_id, scope, created_at, expires_at)
       SELECT t.*, now(), now() + make_interval(secs => $6)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t`,
      [
        rows.map((r) => r.tokenHash),
        rows.map((r) => r.familyId),
        rows.map((r) => r.clientId),
        rows.map((r) => r.orgId),
        rows.map((r) => r.scope),
        this.config.REFRESH_TOKEN_TTL_SECONDS,
      ],
    );
  }

  /**
   * Spends a token for `clientId`. The conditional UPDATE makes redemption atomic:
   * of two concurrent redemptions exactly one wins, the other is a reuse.
   */
  async redeem(token: string, clientId: string): Promise<Redemption> {
    const tokenHash = hashOf(token);
    const [rows] = (await this.tokens.query(
      `UPDATE refresh_tokens SET used_at = now()
        WHERE token_hash = $1 AND client_id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          AND NOT EXISTS (SELECT 1 FROM revoked_token_families f WHERE f.family_id = refresh_tokens.family_id)
        RETURNING token_hash, family_id, client_id, org_id, scope`,
      [tokenHash, clientId],
    )) as [Array<{ family_id: string; client_id: string; org_id: string; scope: string }>, number];
    if (rows.length === 1) {
      const row = rows[0];
      const entity = Object.assign(new RefreshTokenEntity(), {
        tokenHash,
        familyId: row.family_id,
        clientId: row.client_id,
        orgId: row.org_id,
        scope: row.scope,
      });
      return { outcome: 'redeemed', token: entity };
    }
    const existing = await this.tokens.findOneBy({ tokenHash });
    if (!existing) return { outcome: 'unknown' };
    // A token presented by another client is not theirs to spend or to burn.
    if (existing.clientId !== clientId) return { outcome: 'wrong_client' };
    if (existing.revokedAt || (await this.familyRevoked(existing.familyId))) return { outcome: 'revoked' };
    if (existing.usedAt) {
      await this.revokeFamily(existing);
      return { outcome: 'reused', token: existing };
    }
    return { outcome: 'expired' };
  }

  /** Revokes a replayed token's family and announces it, together. */
  async revokeFamily(replayed: RefreshTokenEntity): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      // RETURNING tells whether this call revoked the family: concurrent replays wait on
      // the key, then insert nothing.
      const inserted = (await tx.query(
        'INSERT INTO revoked_token_families (family_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING family_id',
        [replayed.familyId],
      )) as unknown[];
      await tx.query(
        'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
        [replayed.familyId],
      );
      // Announce once per family, however many replays follow.
      if (inserted.length === 0) return;
      await this.outbox.add(
        tx,
        RefreshTokenReuseDetected,
        buildEvent(RefreshTokenReuseDetected, {
          source: '/confer/auth',
          orgId: replayed.orgId,
          id: `refresh-token.reused:${replayed.familyId}`,
          data: { orgId: replayed.orgId, clientId: replayed.clientId, familyId: replayed.familyId },
        }),
      );
    });
  }

  private async familyRevoked(familyId: string): Promise<boolean> {
    const rows = (await this.tokens.query('SELECT 1 FROM revoked_token_families WHERE family_id = $1', [
      familyId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Deletes expired tokens, and revocation records that can no longer matter (every
   * token of the family has expired), a batch at a time so no lock is held for long.
   * Returns how many rows went.
   */
  async purgeExpired(batchSize = 5000): Promise<number> {
    const [, tokens] = (await this.tokens.query(
      `DELETE FROM refresh_tokens WHERE token_hash IN (
         SELECT token_hash FROM refresh_tokens WHERE expires_at < now() LIMIT $1)`,
      [batchSize],
    )) as [unknown, number];
    const [, families] = (await this.tokens.query(
      `DELETE FROM revoked_token_families WHERE family_id IN (
         SELECT family_id FROM revoked_token_families
          WHERE revoked_at < now() - make_interval(secs => $2) LIMIT $1)`,
      [batchSize, this.config.REFRESH_TOKEN_TTL_SECONDS],
    )) as [unknown, number];
    return tokens + families;
  }
}
