import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { AdmittedJoinContext, JoinHook } from '../../joins/join-hooks';
import { isCoviuOwner, SubscriptionRule } from '../subscriptions/subscription-rule';
import { SessionEntryEntity } from './session-entry.entity';

/** Records one session entry per grant, in the join's transaction: no grant without its entry. */
@Injectable()
export class SessionEntriesJoinHook implements JoinHook {
  constructor(private readonly rule: SubscriptionRule) {}

  async afterAdmit(tx: EntityManager, context: AdmittedJoinContext): Promise<void> {
    const { participant, request } = context;
    const entry = Object.assign(new SessionEntryEntity(), {
      entryId: randomUUID(),
      orgId: context.orgId,
      sessionId: context.roomId,
      roomSessionId: context.session.id,
      connectionId: context.connectionId,
      peerId: context.peerId,
      name: participant?.displayName ?? request.displayName ?? null,
      role: context.role,
      clientId: participant?.form === 'coviu' ? participant.keyId : null,
      subscriptionId: isCoviuOwner(participant)
        ? await this.rule.activeFor(tx, context.orgId, participant)
        : null,
      accessTokenSha256: request.token ? createHash('sha256').update(request.token).digest('hex') : null,
      entryTime: new Date(),
    });
    await tx.getRepository(SessionEntryEntity).insert(entry);
  }
}
