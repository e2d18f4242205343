import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganisationEntity } from '../organisation.entity';

/**
 * An operator's act: change how many requests per second each of an organisation's
 * credentials may make (null: the service default). Access tokens carry the limit,
 * so it applies to tokens issued from now on.
 */
@Injectable()
export class SetRateLimit {
  constructor(private readonly dataSource: DataSource) {}

  async execute(orgId: string, rateLimitPerSecond: number | null): Promise<boolean> {
    if (rateLimitPerSecond !== null && !(rateLimitPerSecond > 0)) {
      throw new RangeError('the rate limit must be a positive number of requests per second');
    }
    const result = await this.dataSource
      .getRepository(OrganisationEntity)
      .update({ id: orgId }, { rateLimitPerSecond });
    return (result.affected ?? 0) > 0;
  }
}
