import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { RoomErrors } from '../../rooms.errors';
import { SubscriptionEntity } from './subscription.entity';

const UNIQUE_VIOLATION = '23505';

/** Creates, ends and lists an organisation's Coviu host subscriptions. */
@Injectable()
export class Subscriptions {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    orgId: string,
    input: { ref: string; email: string; name: string },
  ): Promise<SubscriptionEntity> {
    const row = Object.assign(new SubscriptionEntity(), {
      subscriptionId: randomUUID(),
      orgId,
      ref: input.ref,
      email: input.email,
      name: input.name,
      started: new Date(),
      ended: null,
      active: true,
    });
    try {
      await this.dataSource.getRepository(SubscriptionEntity).insert(row);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      )
        throw RoomErrors.subscriptionExists({ ref: input.ref });
      throw error;
    }
    return row;
  }

  async get(orgId: string, subscriptionId: string): Promise<SubscriptionEntity> {
    const row = await this.dataSource.getRepository(SubscriptionEntity).findOneBy({ orgId, subscriptionId });
    if (!row) throw RoomErrors.subscriptionNotFound({ subscriptionId });
    return row;
  }

  /**
   * Ends the subscription: its owner may host no new session. Sessions it hosts now
   * go on until they end. Deleting an ended subscription answers it unchanged.
   */
  async end(orgId: string, subscriptionId: string): Promise<SubscriptionEntity> {
    await this.dataSource.query(
      `UPDATE coviu_subscriptions SET active = false, ended = now()
        WHERE org_id = $1 AND subscription_id = $2 AND active`,
      [orgId, subscriptionId],
    );
    return this.get(orgId, subscriptionId);
  }

  /** Oldest first, so pages stay put as subscriptions are added. */
  async page(
    orgId: string,
    page: number,
    count: number,
  ): Promise<{ rows: SubscriptionEntity[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(SubscriptionEntity).findAndCount({
      where: { orgId },
      order: { started: 'ASC', subscriptionId: 'ASC' },
      skip: page * count,
      take: count,
    });
    return { rows, total };
  }
}
