import { Logger } from '@nestjs/common';
import {
  EventContract,
  eventFilter,
  HandLowered,
  HandRaised,
  ModerationApplied,
  parseEvent,
  PeerLeft,
  PeerRoleChanged,
} from '@confer/contracts';
import { applyHandLowered, applyHandRaised } from '../moderation/apply-hand';
import { applyModeration, applyRoleChange } from '../moderation/apply-moderation';
import { applyPeerLeft } from '../presence/apply-peer-left';
import type { Room } from '../rooms/room';
import { RoomRegistry } from '../rooms/room-registry';
import { RoomsEventsSource, RoomsEventsSubscription } from './rooms-events.source.port';

type Apply = (room: Room, event: unknown) => void;

const handled = <C extends EventContract>(contract: C, apply: Apply) => ({ contract, apply });

/** The rooms service's decisions this server carries out; nothing else is read. */
const HANDLED = [
  handled(PeerLeft, (room, event) => applyPeerLeft(room, parseEvent(PeerLeft, event).data)),
  handled(ModerationApplied, (room, event) =>
    applyModeration(room, parseEvent(ModerationApplied, event).data),
  ),
  handled(PeerRoleChanged, (room, event) => applyRoleChange(room, parseEvent(PeerRoleChanged, event).data)),
  handled(HandRaised, (room, event) => applyHandRaised(room, parseEvent(HandRaised, event).data)),
  handled(HandLowered, (room, event) => applyHandLowered(room, parseEvent(HandLowered, event).data)),
];
const APPLY_BY_TYPE = new Map<string, Apply>(
  HANDLED.map(({ contract, apply }) => [`io.confer.${contract.type}`, apply]),
);

export interface RestartDelays {
  minMs: number;
  maxMs: number;
}
const DEFAULT_RESTART: RestartDelays = { minMs: 250, maxMs: 10_000 };

/**
 * The rooms service's decisions (peer.left, moderation.applied, peer.role-changed, and
 * hand.raised / hand.lowered, relayed to the room), from the events stream, carried out
 * on this server's media.
 *
 * One reading per event type, each on its own subject filter: NATS 2.9 gives a consumer
 * one filter subject, and reading `confer.evt.>` would bring every organisation's every
 * event, this server's own track and speaker events included, to be parsed and dropped.
 * An ordered consumer costs the server little, so five per process are cheap. Order is
 * kept within a type (two role changes apply in turn); across types the effects commute
 * (a decision about a peer that has left is nothing to do; a role change and a screen
 * ban give the same permissions in either order).
 *
 * A reading that ends or throws (its consumer deleted, the connection lost) is started
 * again with growing delays from the event after the last one seen, so no decision is
 * lost meanwhile; until it is back, `assertFollowing` fails, and /readyz with it.
 *
 * An event for a room not here is nothing to do; one that is not JSON or breaks its
 * contract is logged and skipped (each process sees it, so none dead-letters it). The
 * decision is already made, so nothing is retried.
 */
export class RoomsEventsConsumer {
  readonly #logger = new Logger(RoomsEventsConsumer.name);
  readonly #decoder = new TextDecoder();
  readonly #filters = HANDLED.map(({ contract }) =>
    eventFilter({ type: contract.type, version: contract.version }),
  );
  readonly #live = new Map<string, RoomsEventsSubscription>();
  readonly #loops: Promise<void>[] = [];
  #stopping = false;
  readonly #wakeOnStop = new Set<() => void>();

  constructor(
    private readonly source: RoomsEventsSource,
    private readonly rooms: RoomRegistry,
    private readonly restart: RestartDelays = DEFAULT_RESTART,
  ) {}

  /** The subject filters read. */
  get filters(): readonly string[] {
    return this.#filters;
  }

  /** Resolves once each reading has been tried once; those that failed keep retrying. */
  async start(): Promise<void> {
    const firstTries = this.#filters.map(
      (filter) =>
        new Promise<void>((tried) => {
          this.#loops.push(this.#follow(filter, tried));
        }),
    );
    await Promise.all(firstTries);
  }

  /** For readiness: throws while any decision type is not being read. */
  assertFollowing(): void {
    const down = this.#filters.filter((filter) => !this.#live.has(filter));
    if (down.length) throw new Error(`rooms events not being read: ${down.join(', ')}`);
  }

  async #follow(filter: string, tried: () => void): Promise<void> {
    let next: number | undefined;
    let delay = this.restart.minMs;
    while (!this.#stopping) {
      let subscription: RoomsEventsSubscription;
      try {
        subscription = await this.source.subscribe(filter, next);
      } catch (error) {
        this.#logger.error({
          msg: 'cannot read rooms events; retrying',
          filter,
          retryInMs: delay,
          error: String(error),
        });
        tried();
        await this.#pause(delay);
        delay = Math.min(delay * 2, this.restart.maxMs);
        continue;
      }
      if (this.#stopping) {
        subscription.stop();
        tried();
        break;
      }
      this.#live.set(filter, subscription);
      next ??= subscription.startSequence;
      tried();
      let failure: string | undefined;
      try {
        for await (const message of subscription.messages) {
          next = message.sequence + 1;
          delay = this.restart.minMs;
          this.handle(message.subject, message.data);
        }
      } catch (error) {
        failure = String(error);
      }
      this.#live.delete(filter);
      if (this.#stopping) break;
      this.#logger.error({
        msg: 'rooms events reading ended; restarting',
        filter,
        nextSequence: next,
        retryInMs: delay,
        ...(failure ? { error: failure } : {}),
      });
      await this.#pause(delay);
      delay = Math.min(delay * 2, this.restart.maxMs);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakeOnStop.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakeOnStop.add(wake);
    });
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
    const apply = typeof event?.type === 'string' ? APPLY_BY_TYPE.get(event.type) : undefined;
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
    this.#stopping = true;
    for (const wake of [...this.#wakeOnStop]) wake();
    for (const subscription of this.#live.values()) subscription.stop();
    await Promise.all(this.#loops);
  }
}
