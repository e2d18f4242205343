import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { OutboxWriter } from '@confer/outbox';
import { ApiKeyRevoked, buildEvent } from '@confer/contracts';
import { ApiKeyEntity } from '../api-key.entity';
import { ApiKeyCredentials } from '../api-key-credentials';
import { AuthErrors } from '../../auth.errors';

/**
 * Revokes a key: it no longer authenticates, and tokens it signed (session links,
 * room tokens) are refused, and so are its access tokens. Its refresh tokens become
 * useless too: redeeming one needs the key's own credentials.
 */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly dataSource: DataSource,
    private readonly credentials: ApiKeyCredentials,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(orgId: string, keyId: string): Promise<ApiKeyEntity> {
    const { key } = await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(ApiKeyEntity);
      // Lock the organisation's live keys so two concurrent revocations cannot remove the last two.
      const live = await repo.find({
        where: { orgId, revokedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      const key = await repo.findOneBy({ id: keyId, orgId });
      if (!key)
        throw AuthErrors.apiKeyNotFound({ apiKey: keyId }, { message: `API key ${keyId} does not exist` });
      if (key.revokedAt) return { key };
      if (live.length === 1 && live[0].id === keyId) throw AuthErrors.lastLiveApiKey({ apiKey: keyId });
      key.revokedAt = new Date();
      await repo.save(key);
      await this.outbox.add(
        tx,
        ApiKeyRevoked,
        buildEvent(ApiKeyRevoked, {
          source: '/confer/auth',
          orgId,
          id: `api-key.revoked:${keyId}`,
          subject: `api-keys/${keyId}`,
          data: { orgId, apiKey: keyId },
        }),
      );
      return { key };
    });
    this.credentials.invalidate(keyId);
    return key;
  }
}
