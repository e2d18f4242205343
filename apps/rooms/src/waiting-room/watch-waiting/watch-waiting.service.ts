import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoomErrors } from '../../rooms.errors';
import { ActorCredentials, ModerationActors } from '../../moderation/moderation-actor';
import { WaitingEntryEntity } from '../waiting-entry.entity';
import { WaitingEntries, waitingView, WaitingEntryView } from '../waiting-entries';
import { ticketMatches } from '../waiting-policy';

/** Who is waiting (for moderators), and where one's own request stands (for the joiner, by its ticket). */
@Injectable()
export class WatchWaiting {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actors: ModerationActors,
    private readonly entries: WaitingEntries,
  ) {}

  list(roomId: string, credentials: ActorCredentials): Promise<WaitingEntryView[]> {
    return this.actors.act(roomId, credentials, 'moderator', async (tx, actor) => {
      const now = new Date();
      return (await this.entries.pending(tx, actor.orgId, roomId, now)).map((e) => waitingView(e, now));
    });
  }

  /** A wrong ticket gets the same answer as an unknown id, so ids cannot be probed. */
  async poll(roomId: string, waitingId: string, ticket: string): Promise<WaitingEntryView> {
    const entry = await this.dataSource
      .getRepository(WaitingEntryEntity)
      .findOneBy({ id: waitingId, roomId });
    if (!entry || !ticketMatches(ticket, entry.ticketHash))
      throw RoomErrors.waitingNotFound({ roomId, waitingId });
    return waitingView(entry);
  }
}
