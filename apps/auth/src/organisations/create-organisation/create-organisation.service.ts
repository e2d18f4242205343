import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '@confer/outbox';
import { buildEvent, OrganisationCreated } from '@confer/contracts';
import { newId } from '../../crypto/identifiers';
import { OrganisationEntity } from '../organisation.entity';
import { CreateApiKey } from '../../api-keys/create-api-key/create-api-key.service';

export interface CreatedOrganisation {
  orgId: string;
  apiKey: string;
  apiKeySecret: string;
}

/** An operator's act: an organisation and its first API key, created together or not at all. */
@Injectable()
export class CreateOrganisation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly createApiKey: CreateApiKey,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(input: { name: string; rateLimitPerSecond?: number | null }): Promise<CreatedOrganisation> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw new RangeError('the organisation name must be 1 to 200 characters');
    if (input.rateLimitPerSecond != null && !(input.rateLimitPerSecond > 0)) {
      throw new RangeError('the rate limit must be a positive number of requests per second');
    }
    const { org, created } = await this.dataSource.transaction(async (tx) => {
      const org = await tx.getRepository(OrganisationEntity).save({
        id: newId('org', 20),
        name,
        rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      });
      await this.outbox.add(
        tx,
        OrganisationCreated,
        buildEvent(OrganisationCreated, {
          source: '/confer/auth',
          orgId: org.id,
          id: `organisation.created:${org.id}`,
          data: { orgId: org.id, name: org.name },
        }),
      );
      return { org, created: await this.createApiKey.within(tx, org.id, 'default') };
    });
    return { orgId: org.id, apiKey: created.key.id, apiKeySecret: created.secret };
  }
}
