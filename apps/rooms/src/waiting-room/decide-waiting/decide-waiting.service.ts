import { Injectable } from '@nestjs/common';
import { RoomErrors } from '../../rooms.errors';
import { ActorCredentials, ModerationActors } from '../../moderation/moderation-actor';
import { WaitingEntryEntity } from '../waiting-entry.entity';
import { WaitingEntries, waitingView, WaitingEntryView } from '../waiting-entries';
import { statusAt } from '../waiting-policy';

/** A moderator (or the server API) admits or rejects a joiner waiting in the room. */
@Injectable()
export class DecideWaiting {
  constructor(
    private readonly actors: ModerationActors,
    private readonly entries: WaitingEntries,
  ) {}

  /** Idempotent for the same decision; a different one on a settled entry is refused. */
  execute(
    roomId: string,
    waitingId: string,
    decision: 'admitted' | 'rejected',
    credentials: ActorCredentials,
  ): Promise<WaitingEntryView> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const entry = await tx
        .getRepository(WaitingEntryEntity)
        .findOneBy({ id: waitingId, orgId: actor.orgId, roomId });
      if (!entry) throw RoomErrors.waitingNotFound({ roomId, waitingId });
      const now = new Date();
      if (entry.status === decision && statusAt(entry, now) === decision) return waitingView(entry, now);
      if (entry.status !== 'pending')
        throw RoomErrors.waitingAlreadyDecided(
          { waitingId, status: entry.status },
          { message: `This joiner was already ${entry.status}` },
        );
      if (statusAt(entry, now) === 'expired') throw RoomErrors.waitingExpired({ waitingId });
      return waitingView(await this.entries.decide(tx, entry, decision, actor.by), now);
    });
  }
}
