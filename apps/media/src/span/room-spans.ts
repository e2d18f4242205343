import { NotHeldHere, CommandRejection } from '@confer/bus';
import type { PipeSpanProducer, ReplyOf, RequestOf } from '@confer/contracts';
import type { Room } from '../rooms/room';
import { RoomSpan, RoomSpanOptions, SpanBus } from './room-span';

/**
 * The room spans of this node, one per live room: every room may come to span nodes
 * (the rooms service places a full room's newcomers on another node), so each follows
 * the room's span feed from its first peer on.
 */
export class RoomSpans {
  readonly #spans = new Map<Room, RoomSpan>();

  constructor(
    private readonly bus: SpanBus,
    private readonly options: RoomSpanOptions,
  ) {}

  follow(room: Room): void {
    const span = new RoomSpan(room, this.bus, this.options);
    this.#spans.set(room, span);
    room.once('close', () => this.#spans.delete(room));
    span.start();
  }

  of(room: Room): RoomSpan | undefined {
    return this.#spans.get(room);
  }

  /** Whether this node records the room: it carries the room's earliest instance. */
  isPrimary(room: Room): boolean {
    return this.#spans.get(room)?.isPrimary ?? true;
  }

  /** Producers sent into pipes for other nodes, counted with this node's consumers. */
  get pipeConsumers(): number {
    let n = 0;
    for (const span of this.#spans.values()) n += span.pipeConsumers;
    return n;
  }

  /** Every node hears every pipe request; the node it names answers. */
  async pipeOut(request: RequestOf<typeof PipeSpanProducer>): Promise<ReplyOf<typeof PipeSpanProducer>> {
    if (request.toNode !== this.options.nodeId) throw new NotHeldHere(`node ${request.toNode}`);
    for (const span of this.#spans.values())
      if (span.orgId === request.orgId && span.roomId === request.roomId) return span.pipeOut(request);
    throw new CommandRejection('span_gone', `Room ${request.roomId} is no longer live on this node`);
  }

  stopAll(): void {
    for (const span of this.#spans.values()) span.stop();
    this.#spans.clear();
  }
}
