import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@confer/outbox';
import { ModerationApplied } from '@confer/contracts';
import { ActorCredentials, ModerationActors } from '../moderation-actor';
import { RoomModerationAction } from '../media-permissions';
import { moderationAppliedEvent } from '../moderation-events';
import { liveSessionOrFail } from '../moderation-target';

/**
 * A moderator turns off every microphone or every camera of the room at once
 * (Gcore's disableAllMics / disableAllCameras). A one-off: everyone may turn theirs
 * on again, so nothing is stored; the media plane acts on the event.
 */
@Injectable()
export class ModerateRoom {
  constructor(
    private readonly actors: ModerationActors,
    private readonly outbox: OutboxWriter,
  ) {}

  execute(
    roomId: string,
    action: RoomModerationAction,
    credentials: ActorCredentials,
  ): Promise<{ action: RoomModerationAction }> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const session = await liveSessionOrFail(tx, actor.orgId, roomId);
      await this.outbox.add(tx, ModerationApplied, moderationAppliedEvent(session, action, actor.by));
      return { action };
    });
  }
}
