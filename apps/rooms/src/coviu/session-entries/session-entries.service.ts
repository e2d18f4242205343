import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SessionEntryEntity } from './session-entry.entity';

/** Pages of session entries, oldest first so pages stay put as entries are added. */
@Injectable()
export class SessionEntries {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    filter: { orgId: string; sessionId?: string },
    page: number,
    count: number,
  ): Promise<{ rows: SessionEntryEntity[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(SessionEntryEntity).findAndCount({
      where: { orgId: filter.orgId, ...(filter.sessionId ? { sessionId: filter.sessionId } : {}) },
      order: { entryTime: 'ASC', entryId: 'ASC' },
      skip: page * count,
      take: count,
    });
    return { rows, total };
  }
}
