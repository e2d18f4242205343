import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventPublisherPort } from '@confer/bus';
import { ApiKeyCreated, buildEvent } from '@confer/contracts';
import { SecretBox } from '../../crypto/secret-box';
import { newId, newSecret } from '../../crypto/identifiers';
import { ApiKeyEntity } from '../api-key.entity';

export interface CreatedApiKey {
  key: ApiKeyEntity;
  /** The only time the clear secret leaves the service. */
  secret: string;
}

@Injectable()
export class CreateApiKey {
  constructor(
    @Inject(SecretBox) private readonly secretBox: SecretBox,
    private readonly events: EventPublisherPort,
  ) {}

  /** Creates the key inside the caller's transaction; call `announce` once it has committed. */
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
    return { key, secret };
  }

  async announce(key: ApiKeyEntity): Promise<void> {
    await this.events.publish(
      ApiKeyCreated,
      buildEvent(ApiKeyCreated, {
        source: '/confer/auth',
        orgId: key.orgId,
        id: `api-key.created:${key.id}`,
        subject: `api-keys/${key.id}`,
        data: { orgId: key.orgId, apiKey: key.id, ...(key.name ? { name: key.name } : {}) },
      }),
    );
  }
}
