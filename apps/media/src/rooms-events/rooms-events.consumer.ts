import { Logger } from '@nestjs/common';
import { ConsumerMessages, DeliverPolicy, NatsConnection } from 'nats';
import { EVENTS_SUBJECTS, ModerationApplied, parseEvent, PeerLeft, PeerRoleChanged } from '@confer/contracts';
import { applyModeration, applyRoleChange } from '../moderation/apply-moderation';
import { applyPeerLeft } from '../presence/apply-peer-left';
import type { Room } from '../rooms/room';
import { RoomRegistry } from '../rooms/room-registry';

type Apply = (room: Room, event: unknown) => void;

const HANDLED: Record<string, Apply> = {
  [`io.confer.${PeerLeft.type}`]: (room, event) => applyPeerLeft(room, parseEvent(PeerLeft, event).data),
  [`io.confer.${ModerationApplied.type}`]: (room, event) =>
    applyModeration(room, parseEvent(ModerationApplied, event).data),
  [`io.confer.${PeerRoleChanged.type}`]: (room, event) =>
    applyRoleChange(room, parseEvent(PeerRoleChanged, event).data),
};

/**
 * The rooms service's decisions, from JetStream, carried out on this server's media.
 *
 * Every media process needs every decision about its own peers, and several processes
 * may serve one server id, so each reads the stream through its own ordered, ephemeral
 * consumer (new events only; the server forgets it when the process goes) rather than a
 * shared durable one, which would split the events between them. An event for a room
 * not here is nothing to do; one that is not JSON or breaks its contract is logged and
 * skipped (each process sees it, so none dead-letters it). The decision is already
 * made, so nothing is retried.
 */
export class RoomsEventsConsumer {
  readonly #logger = new Logger(RoomsEventsConsumer.name);
  readonly #decoder = new TextDecoder();
  #messages?: ConsumerMessages;
  #loop?: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    private readonly rooms: RoomRegistry,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.nc.jetstream().consumers.get(this.stream, {
      name_prefix: 'media',
      filterSubjects: EVENTS_SUBJECTS,
      deliver_policy: DeliverPolicy.New,
    });
    this.#messages = await consumer.consume();
    const messages = this.#messages;
    this.#loop = (async () => {
      for await (const message of messages) this.handle(message.subject, message.data);
    })().catch((error: unknown) =>
      this.#logger.error({ msg: 'rooms events subscription ended', error: String(error) }),
    );
  }

  /** One message from the stream; never throws. */
  handle(subject: string, data: Uint8Array): void {
    let event: { type?: unknown; orgid?: unknown; roomid?: unknown };
    try {
      event = JSON.parse(this.#decoder.decode(data)) as typeof event;
    } catch {
      this.#logger.warn({ msg: 'rooms event is not JSON; skipped', subject });
      return;
    }
    const apply = typeof event?.type === 'string' ? HANDLED[event.type] : undefined;
    if (!apply) return;
    if (typeof event.orgid !== 'string' || typeof event.roomid !== 'string') {
      this.#logger.warn({ msg: 'rooms event names no room; skipped', subject, type: event.type });
      return;
    }
    const room = this.rooms.find(RoomRegistry.keyOf(event.orgid, event.roomid));
    if (!room) return;
    try {
      apply(room, event);
    } catch (error) {
      this.#logger.warn({
        msg: 'rooms event refused; skipped',
        subject,
        type: event.type,
        room: room.key,
        error: String(error),
      });
    }
  }

  async stop(): Promise<void> {
    this.#messages?.stop();
    await this.#loop;
  }
}
