import { Injectable } from '@nestjs/common';
import { RoomSettingsChanged } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { ActorCredentials, ModerationActors } from '../../moderation/moderation-actor';
import { liveSessionOrFail } from '../../moderation/moderation-target';
import { WaitingEntries } from '../waiting-entries';
import { roomSettingsChangedEvent } from '../waiting-room-settings';

/**
 * A moderator turns the waiting room of the live room on or off. Turning it off lets
 * in everyone waiting: their next poll or join finds them admitted.
 */
@Injectable()
export class SwitchWaitingRoom {
  constructor(
    private readonly actors: ModerationActors,
    private readonly entries: WaitingEntries,
    private readonly outbox: OutboxWriter,
  ) {}

  execute(
    roomId: string,
    enabled: boolean,
    credentials: ActorCredentials,
  ): Promise<{ enabled: boolean; admitted: number }> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const session = await liveSessionOrFail(tx, actor.orgId, roomId);
      if (!(await this.entries.choose(tx, session.id, enabled, actor.by))) return { enabled, admitted: 0 };
      await this.outbox.add(
        tx,
        RoomSettingsChanged,
        await roomSettingsChangedEvent(tx, session, enabled, actor.by),
      );
      if (enabled) return { enabled, admitted: 0 };
      const waiting = await this.entries.pending(tx, actor.orgId, roomId);
      for (const entry of waiting) await this.entries.decide(tx, entry, 'admitted', actor.by);
      return { enabled, admitted: waiting.length };
    });
  }
}
