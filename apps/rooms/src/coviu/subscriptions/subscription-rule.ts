import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { VerifiedParticipant } from '@confer/contracts';
import { RoomErrors } from '../../rooms.errors';
import { SubscriptionEntity } from './subscription.entity';

/** A verified Coviu session link of a session owner. */
export function isCoviuOwner(
  participant: VerifiedParticipant | undefined,
): participant is VerifiedParticipant {
  return participant?.form === 'coviu' && participant.role === 'owner';
}

/**
 * Coviu's rule for session owners: the owner's `ref` names an active subscription of
 * the organisation, and one subscription hosts one session at a time (entering the
 * same session again is fine).
 */
@Injectable()
export class SubscriptionRule {
  /**
   * Checks the rule for an owner entering `sessionId` and answers the subscription.
   * With `lock`, inside a join's transaction, owners of one subscription entering
   * different sessions at once are serialised, so at most one of them gets in.
   */
  async check(
    manager: EntityManager,
    orgId: string,
    sessionId: string,
    owner: VerifiedParticipant,
    options: { lock?: boolean } = {},
  ): Promise<SubscriptionEntity> {
    const ref = typeof owner.attributes['ref'] === 'string' ? owner.attributes['ref'] : owner.identity;
    const subscription = ref
      ? await manager.getRepository(SubscriptionEntity).findOneBy({ orgId, ref, active: true })
      : null;
    if (!subscription) throw RoomErrors.subscriptionInactive({ ref: ref ?? null });
    if (options.lock) {
      await this.lock(manager, subscription.subscriptionId);
      // Read again under the lock: a removal that held it may have ended the subscription.
      const [still] = (await manager.query(
        'SELECT active FROM coviu_subscriptions WHERE subscription_id = $1',
        [subscription.subscriptionId],
      )) as Array<{ active: boolean }>;
      if (!still?.active) throw RoomErrors.subscriptionInactive({ ref });
    }
    const [elsewhere] = (await manager.query(
      `SELECT e.session_id FROM session_entries e
         JOIN peer_connections c ON c.connection_id = e.connection_id
        WHERE e.subscription_id = $1 AND c.left_at IS NULL AND e.session_id <> $2
        LIMIT 1`,
      [subscription.subscriptionId, sessionId],
    )) as Array<{ session_id: string }>;
    if (elsewhere) {
      throw RoomErrors.subscriptionBusy({
        subscriptionId: subscription.subscriptionId,
        sessionId: elsewhere.session_id,
      });
    }
    return subscription;
  }

  /**
   * Serialises, for one subscription, owners' joins (held until they commit) and its
   * removal. Joins take it after their room lock; the removal takes no room lock while
   * holding it.
   */
  async lock(manager: EntityManager, subscriptionId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `coviu-subscription:${subscriptionId}`,
    ]);
  }

  /** The active subscription an owner entered under, inside the join's transaction. */
  async activeFor(manager: EntityManager, orgId: string, owner: VerifiedParticipant): Promise<string | null> {
    const ref = typeof owner.attributes['ref'] === 'string' ? owner.attributes['ref'] : owner.identity;
    if (!ref) return null;
    const row = await manager.getRepository(SubscriptionEntity).findOneBy({ orgId, ref, active: true });
    return row?.subscriptionId ?? null;
  }
}
