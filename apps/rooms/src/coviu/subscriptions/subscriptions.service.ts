import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, IsNull, QueryFailedError } from 'typeorm';
import { RoomErrors } from '../../rooms.errors';
import { lockRoom } from '../../rooms/room-lock';
import { PeerConnectionEntity } from '../../presence/peer-connection.entity';
import { PeerDepartures } from '../../presence/peer-departures';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionRule } from './subscription-rule';

const UNIQUE_VIOLATION = '23505';

/** Creates, ends and lists an organisation's Coviu host subscriptions. */
@Injectable()
export class Subscriptions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rule: SubscriptionRule,
    private readonly departures: PeerDepartures,
  ) {}

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
   * Ends the subscription. Coviu: "removing a subscription means the user may no longer
   * host sessions", so the owners hosting under it now leave their sessions (peer.left,
   * reason kicked; a room they leave empty ends) and cannot enter again. Guests stay:
   * the session is not theirs to lose. Deleting an ended subscription answers it unchanged.
   */
  async end(orgId: string, subscriptionId: string): Promise<SubscriptionEntity> {
    await this.get(orgId, subscriptionId);
    await this.dataSource.transaction(async (tx) => {
      // Owners' joins under it hold this lock until they commit: once it is ours, every
      // owner who got in is visible below, and every later one reads it ended.
      await this.rule.lock(tx, subscriptionId);
      await tx.query(
        `UPDATE coviu_subscriptions SET active = false, ended = now()
          WHERE org_id = $1 AND subscription_id = $2 AND active`,
        [orgId, subscriptionId],
      );
    });
    const hosting = (await this.dataSource.query(
      `SELECT c.connection_id, c.room_id FROM session_entries e
         JOIN peer_connections c ON c.connection_id = e.connection_id
        WHERE e.org_id = $1 AND e.subscription_id = $2 AND c.left_at IS NULL`,
      [orgId, subscriptionId],
    )) as Array<{ connection_id: string; room_id: string }>;
    for (const { connection_id: connectionId, room_id: roomId } of hosting) {
      await this.dataSource.transaction(async (tx) => {
        await lockRoom(tx, orgId, roomId);
        const live = await tx
          .getRepository(PeerConnectionEntity)
          .findOneBy({ connectionId, leftAt: IsNull() });
        if (live) await this.departures.depart(tx, live, 'kicked');
      });
    }
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
