import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@confer/outbox';
import { HandLowered, ModerationApplied } from '@confer/contracts';
import { RoomErrors } from '../../rooms.errors';
import { Permissions } from '../../joins/roles';
import { PeerDepartures } from '../../presence/peer-departures';
import { ActorCredentials, ModerationActors } from '../moderation-actor';
import { inapplicability, overridesAfter, PeerModerationAction, withOverrides } from '../media-permissions';
import { handLoweredEvent, moderationAppliedEvent } from '../moderation-events';
import { liveTarget } from '../moderation-target';
import { PeerModerationState } from '../peer-moderation-state';

export interface PeerModerationOutcome {
  action: PeerModerationAction;
  peerId: string;
  /** The peer's permissions after the action; null once it was removed. */
  permissions: Permissions | null;
}

/**
 * A moderator acts on one peer: turns its camera or microphone off, allows or forbids
 * its screen sharing, asks it to turn something on, lowers its hand, or removes it.
 * The media plane carries out the media actions on the moderation.applied event.
 */
@Injectable()
export class ModeratePeer {
  constructor(
    private readonly actors: ModerationActors,
    private readonly state: PeerModerationState,
    private readonly departures: PeerDepartures,
    private readonly outbox: OutboxWriter,
  ) {}

  execute(
    roomId: string,
    peerId: string,
    action: PeerModerationAction,
    credentials: ActorCredentials,
  ): Promise<PeerModerationOutcome> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const { connection, session, base } = await liveTarget(tx, actor.orgId, roomId, peerId);
      const overrides = await this.state.overrides(tx, session.id, peerId);
      const problem = inapplicability(action, base, withOverrides(base, overrides));
      if (problem) throw RoomErrors.moderationNotApplicable({ action, peerId }, { message: problem });

      const after = overridesAfter(action, overrides);
      if (after !== overrides) await this.state.setOverrides(tx, session.id, peerId, after, actor.by);
      if (action === 'lower_hand' && !(await this.state.lowerHand(tx, connection.connectionId)))
        throw RoomErrors.handNotRaised({ peerId });

      // Announced before a removal, so it precedes the peer.left (and room.ended) it causes.
      await this.outbox.add(tx, ModerationApplied, moderationAppliedEvent(session, action, actor.by, peerId));
      if (action === 'lower_hand')
        await this.outbox.add(tx, HandLowered, handLoweredEvent(session, peerId, actor.by));
      if (action === 'remove_peer') {
        await this.departures.depart(tx, connection, 'kicked');
        return { action, peerId, permissions: null };
      }
      return { action, peerId, permissions: withOverrides(base, after) };
    });
  }
}
