import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKeyCreated, buildEvent } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { SecretBox } from '../../crypto/secret-box';
import { newId, newSecret } from '../../crypto/identifiers';
import { ApiKeyEntity } from '../api-key.entity';

export interface CreatedApiKey {
  key: ApiKeyEntity;
  /** The only time the clear secret leaves the service. */
  secret: string;
}

/**
 * Creates an API key and announces it in the same transaction (through the outbox):
 * a key whose secret was shown exists, and its event follows, or neither.
 */
@Injectable()
export class CreateApiKey {
  constructor(
    @Inject(SecretBox) private readonly secretBox: SecretBox,
    private readonly outbox: OutboxWriter,
    private readonly dataSource: DataSource,
  ) {}

  execute(orgId: string, name: string | null): Promise<CreatedApiKey> {
    return this.dataSource.transaction((tx) => this.within(tx, orgId, name));
  }

  /** Inside the caller's transaction (an organisation and its first key are created together). */
  async within(tx: EntityManager, orgId: string, name: string | null): Promise<CreatedApiKey> {
    const id = newId('ak', 24);
    const secret = newSecret();
    const key = await tx.getRepository(ApiKeyEntity).save({
      id,
      orgId,
      name,
      secretSealed: this.secretBox.seal(secret, id),
      revokedAt: null,
    });
    await this.outbox.add(
      tx,
      ApiKeyCreated,
      buildEvent(ApiKeyCreated, {
        source: '/confer/auth',
        orgId,
        id: `api-key.created:${id}`,
        subject: `api-keys/${id}`,
        data: { orgId, apiKey: id, ...(name ? { name } : {}) },
      }),
    );
    return { key, secret };
  }
}
