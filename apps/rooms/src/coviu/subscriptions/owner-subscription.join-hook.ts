import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JoinContext, JoinHook } from '../../joins/join-hooks';
import { isCoviuOwner, SubscriptionRule } from './subscription-rule';

/**
 * Holds Coviu's owner rule on every join, so it also applies when a client joins with
 * the session link's token directly instead of through `GET /v1/session/:jwt`.
 */
@Injectable()
export class OwnerSubscriptionJoinHook implements JoinHook {
  constructor(private readonly rule: SubscriptionRule) {}

  passesDirectly(context: JoinContext): boolean {
    return !isCoviuOwner(context.participant);
  }

  async beforeAdmit(tx: EntityManager, context: JoinContext): Promise<void> {
    if (!isCoviuOwner(context.participant)) return;
    await this.rule.check(tx, context.orgId, context.roomId, context.participant, { lock: true });
  }
}
