import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JoinContext, JoinHook } from '../joins/join-hooks';
import { withOverrides } from './media-permissions';
import { PeerModerationState } from './peer-moderation-state';

/**
 * A peer that reconnects keeps what moderators changed for it in this life of the
 * room (e.g. a forbidden screen share): its grant is signed with the narrowed
 * permissions.
 */
@Injectable()
export class ModerationJoinHook implements JoinHook {
  constructor(private readonly state: PeerModerationState) {}

  async beforeAdmit(tx: EntityManager, context: JoinContext): Promise<void> {
    // A room nobody is in has no moderation yet.
    if (!context.session) return;
    const overrides = await this.state.overrides(tx, context.session.id, context.peerId);
    // JoinContext offers no other way to adjust a grant: DecideJoin signs this very object.
    Object.assign(context.permissions, withOverrides(context.permissions, overrides));
  }
}
