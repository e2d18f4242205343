import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { AdmittedJoinContext, JoinContext, JoinHook } from '../../joins/join-hooks';
import { isCoviuOwner, SubscriptionRule } from '../subscriptions/subscription-rule';
import { SessionEntryEntity } from './session-entry.entity';

/** Records one session entry per grant, in the join's transaction: no grant without its entry. */
@Injectable()
export class SessionEntriesJoinHook implements JoinHook {
  constructor(private readonly rule: SubscriptionRule) {}

  /** A direct admission writes the entry itself (sessionEntryFor); only owners need their subscription looked up. */
  passesDirectly(context: JoinContext): boolean {
    return !isCoviuOwner(context.participant);
  }

  async afterAdmit(tx: EntityManager, context: AdmittedJoinContext): Promise<void> {
    const subscriptionId = isCoviuOwner(context.participant)
      ? await this.rule.activeFor(tx, context.orgId, context.participant)
      : null;
    await tx.getRepository(SessionEntryEntity).insert(sessionEntryFor(context, subscriptionId));
  }
}

/** The session entry of an admitted join. */
export function sessionEntryFor(
  context: AdmittedJoinContext,
  subscriptionId: string | null,
): SessionEntryEntity {
  const { participant, request } = context;
  return Object.assign(new SessionEntryEntity(), {
    entryId: randomUUID(),
    orgId: context.orgId,
    sessionId: context.roomId,
    roomSessionId: context.session.id,
    connectionId: context.connectionId,
    peerId: context.peerId,
    name: participant?.displayName ?? request.displayName ?? null,
    role: context.role,
    clientId: participant?.form === 'coviu' ? participant.keyId : null,
    subscriptionId,
    accessTokenSha256: request.token ? createHash('sha256').update(request.token).digest('hex') : null,
    entryTime: new Date(),
  });
}
