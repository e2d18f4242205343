import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyEntity } from '../api-key.entity';
import { AuthErrors } from '../../auth.errors';

/** Reads an organisation's keys, newest first; never their secrets (the representation has none). */
@Injectable()
export class ListApiKeys {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async page(orgId: string, page: number, count: number): Promise<{ keys: ApiKeyEntity[]; total: number }> {
    const [keys, total] = await this.keys.findAndCount({
      where: { orgId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: page * count,
      take: count,
    });
    return { keys, total };
  }

  async one(orgId: string, keyId: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id: keyId, orgId });
    if (!key)
      throw AuthErrors.apiKeyNotFound({ apiKey: keyId }, { message: `API key ${keyId} does not exist` });
    return key;
  }
}
