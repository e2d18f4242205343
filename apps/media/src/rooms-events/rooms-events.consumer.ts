import { Logger } from '@nestjs/common';
import type { ConsumerHandle, EventConsumer } from '@confer/bus';
import {
  eventCatalogue,
  EVENTS_SUBJECTS,
  ModerationApplied,
  parseEvent,
  PeerLeft,
  PeerRoleChanged,
} from '@confer/contracts';
import { applyModeration, applyRoleChange } from '../moderation/apply-moderation';
import { applyPeerLeft } from '../presence/apply-peer-left';
import type { Room } from '../rooms/room';
import { RoomRegistry } from '../rooms/room-registry';

const HANDLED = {
  [`io.confer.${PeerLeft.type}`]: PeerLeft,
  [`io.confer.${ModerationApplied.type}`]: ModerationApplied,
  [`io.confer.${PeerRoleChanged.type}`]: PeerRoleChanged,
} as const;

/**
 * The rooms service's decisions, from JetStream, carried out on this server's media.
 * One filter subject (NATS 2.9 takes one), so the consumer accepts the whole catalogue
 * and acknowledges what it does not act on; an event for a room not on this server is
 * nothing to do. A handler never throws for a room's state: the decision is already
 * made, and retrying it would only act twice.
 */
export class RoomsEventsConsumer {
  readonly #logger = new Logger(RoomsEventsConsumer.name);
  #handle?: ConsumerHandle;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly rooms: RoomRegistry,
    private readonly durable: string,
  ) {}

  async start(): Promise<void> {
    this.#handle = await this.consumer.consume({
      durable: this.durable,
      filterSubjects: [EVENTS_SUBJECTS],
      contracts: eventCatalogue,
      deliverPolicy: 'new',
      batchSize: 50,
      handler: async (event) => {
        const contract = HANDLED[event.type as keyof typeof HANDLED];
        if (!contract || !event.roomid) return;
        const room = this.rooms.find(RoomRegistry.keyOf(event.orgid, event.roomid));
        if (!room) return;
        this.#apply(room, contract, event);
      },
    });
  }

  #apply(room: Room, contract: (typeof HANDLED)[keyof typeof HANDLED], event: unknown): void {
    try {
      if (contract === PeerLeft) applyPeerLeft(room, parseEvent(PeerLeft, event).data);
      else if (contract === ModerationApplied)
        applyModeration(room, parseEvent(ModerationApplied, event).data);
      else applyRoleChange(room, parseEvent(PeerRoleChanged, event).data);
    } catch (error) {
      this.#logger.error({ msg: 'could not apply a rooms event', room: room.key, error: String(error) });
    }
  }

  async stop(): Promise<void> {
    await this.#handle?.stop();
  }
}
