import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JoinContext, JoinHook } from '../joins/join-hooks';
import { withOverrides } from './media-permissions';
import { permissionsOf } from '../joins/roles';
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
    const { role: assigned, overrides } = await this.state.forPeer(tx, context.session.id, context.peerId);
    // A moderator's choice outlives the connection it was made on; DecideJoin admits
    // with the context's role and permissions as the hooks leave them.
    if (assigned && assigned !== context.role) {
      context.role = assigned;
      context.permissions = permissionsOf(assigned, context.attributes);
    }
    context.permissions = withOverrides(context.permissions, overrides);
  }
}
