import { randomUUID } from 'crypto';
import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import { Value } from '@sinclair/typebox/value';
import { CommandRejection } from '@confer/bus';
import {
  PipeSpanProducer,
  ReplyOf,
  RequestOf,
  roomSpanSubject,
  SpanChat,
  SpanMessage,
  SpanMessageSchema,
  SpanPeer,
  SpanProducer,
  SpanState,
} from '@confer/contracts';
import type { Peer, ProducerAppData } from '../peers/peer';
import type { Room } from '../rooms/room';
import { PipeLink, PipeListen } from './pipe-link';
import { mirrorPeer, RemoteShare } from './remote-share';

/** How a room span reaches the other nodes (core NATS in the service, a fake in unit tests). */
export interface SpanBus {
  publish(subject: string, message: SpanMessage): void;
  /** Returns the unsubscribe. */
  subscribe(subject: string, onMessage: (data: unknown) => void): () => void;
  requestPipe(request: RequestOf<typeof PipeSpanProducer>): Promise<ReplyOf<typeof PipeSpanProducer>>;
}

export interface RoomSpanOptions {
  nodeId: string;
  pipe: PipeListen;
  /** A state is sent at least this often, and a node silent for `staleAfterMs` is dropped. */
  heartbeatMs: number;
  staleAfterMs: number;
}

/**
 * What peers are told when this node's share of the room may have changed; the others
 * (audio levels every second, the active speaker, chat) leave it as it is, and are not
 * worth serialising the share for.
 */
const SHARE_CHANGES: ReadonlySet<string> = new Set([
  'peerJoined',
  'peerLeft',
  'peerRoleChanged',
  'producerAdded',
  'producerClosed',
  'producerPaused',
  'producerResumed',
  'handRaised',
  'handLowered',
  'recordingChanged',
]);

/** How long a node dropped for silence is named in this node's states. */
const DROPPED_TOLD_FOR_MS = 15_000;

/** A room on one node only publishes every this many heartbeats. */
const LONE_HEARTBEAT_EVERY = 5;

type ChatData = { messageId: string; peerId: string; text: string; sentAt: string; to?: string };

/**
 * This node's part in a room that may span several media nodes. It publishes this node's
 * share of the room (its own peers and what they send) at every change and every
 * heartbeat, and from the other nodes' shares it shows their peers here (mirrors) and
 * pipes their producers into this node's router, so this node's peers consume them like
 * any other. A node sends only its own peers' producers (every node pipes from the source
 * node: one hop, whatever the number of nodes).
 */
export class RoomSpan {
  readonly incarnation = randomUUID();
  readonly since = Date.now();
  readonly orgId: string;
  readonly roomId: string;
  readonly #subject: string;
  readonly #logger = new Logger(RoomSpan.name);
  readonly #shares = new Map<string, RemoteShare>();
  /** Pipes by remote node: made when either side first asks, kept while that instance lives. */
  readonly #links = new Map<string, PipeLink>();
  #seq = 0;
  #beats = 0;
  /** Nodes dropped for silence lately, told to the others in `dropped` (see SpanState). */
  readonly #droppedSilent = new Map<string, { incarnation: string; atSeq: number; atMs: number }>();
  /** room.recording was set from another node's state (this node does not record it). */
  #recordingFollowed = false;
  #lastSent = '';
  #publishQueued = false;
  #timer?: NodeJS.Timeout;
  #unsubscribe?: () => void;
  #stopped = false;

  constructor(
    readonly room: Room,
    private readonly bus: SpanBus,
    private readonly options: RoomSpanOptions,
  ) {
    const slash = room.key.indexOf('/');
    this.orgId = room.key.slice(0, slash);
    this.roomId = room.key.slice(slash + 1);
    this.#subject = roomSpanSubject(this.orgId, this.roomId);
  }

  start(): void {
    this.#unsubscribe = this.bus.subscribe(this.#subject, (data) => this.#receive(data));
    this.room.on('told', this.#onTold);
    this.room.once('close', () => this.stop());
    this.#timer = setInterval(() => this.#heartbeat(), this.options.heartbeatMs);
    this.#timer.unref();
    this.#publish(true);
  }

  /** The room closed here: the others drop this node's share at once. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.room.off('told', this.#onTold);
    this.#seq += 1;
    this.#send({ ...this.#share(), seq: this.#seq, open: false, peers: [] });
    this.#unsubscribe?.();
    for (const share of [...this.#shares.values()]) this.#drop(share, 'room closed');
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  /** Nodes sharing the room now (for tests and logs). */
  get remoteNodes(): string[] {
    return [...this.#shares.keys()];
  }

  /** This node's instance began before every other node's: it records the room. */
  get isPrimary(): boolean {
    for (const share of this.#shares.values()) {
      const { since, nodeId } = share.state;
      if (since < this.since || (since === this.since && nodeId < this.options.nodeId)) return false;
    }
    return true;
  }

  /** Producers this node sends into pipes for the other nodes (counted as consumers in its load). */
  get pipeConsumers(): number {
    let n = 0;
    for (const link of this.#links.values()) n += link.consumerCount;
    return n;
  }

  /** Another node asks for one of this node's peers' producers. */
  async pipeOut(request: RequestOf<typeof PipeSpanProducer>): Promise<ReplyOf<typeof PipeSpanProducer>> {
    if (request.toIncarnation !== this.incarnation || this.#stopped)
      throw new CommandRejection(
        'span_gone',
        `The room's instance ${request.toIncarnation} ended on this node`,
      );
    // A request of an instance this node no longer follows (it came late): its pipe is not ours to replace.
    const following = this.#shares.get(request.fromNode);
    if (following && following.state.incarnation !== request.fromIncarnation)
      throw new CommandRejection(
        'span_gone',
        `Node ${request.fromNode} carries a newer instance of the room`,
      );
    const producer = this.#localProducer(request.producerId);
    if (!producer)
      throw new CommandRejection('producer_not_found', `No peer of this node sends ${request.producerId}`);
    const link = this.#linkFor(request.fromNode, request.fromIncarnation);
    await link.connect(request.pipe);
    const consumer = await link.consume(producer.id);
    return {
      pipe: await link.localAddress(),
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>,
      paused: consumer.producerPaused,
    };
  }

  #localProducer(producerId: string): types.Producer<ProducerAppData> | undefined {
    for (const peer of this.room.localPeers) {
      const producer = peer.producer(producerId);
      if (producer && !producer.closed) return producer;
    }
    return undefined;
  }

  #linkFor(nodeId: string, incarnation: string): PipeLink {
    const existing = this.#links.get(nodeId);
    if (existing && existing.remoteIncarnation === incarnation && !existing.closed) return existing;
    existing?.close();
    const link = new PipeLink(this.room.router, nodeId, incarnation, this.options.pipe);
    this.#links.set(nodeId, link);
    return link;
  }

  // --- what this node publishes ---------------------------------------------------------

  readonly #onTold = (notification: string, data: unknown): void => {
    if (notification === 'chatMessage') this.#relayChat(data as ChatData);
    else if (SHARE_CHANGES.has(notification)) this.#publishSoon();
  };

  /** Changes come in bursts (a peer leaving closes several producers): one state for the turn. */
  #publishSoon(): void {
    if (this.#publishQueued || this.#stopped) return;
    this.#publishQueued = true;
    setImmediate(() => {
      this.#publishQueued = false;
      if (!this.#stopped) this.#publish(false);
    });
  }

  #heartbeat(): void {
    const now = Date.now();
    for (const share of [...this.#shares.values()])
      if (now - share.heardAtMs > this.options.staleAfterMs) {
        this.#droppedSilent.set(share.nodeId, {
          incarnation: share.state.incarnation,
          atSeq: this.#seq,
          atMs: now,
        });
        this.#drop(share, 'node unreachable');
      }
    for (const [nodeId, dropped] of this.#droppedSilent)
      if (now - dropped.atMs > DROPPED_TOLD_FOR_MS) this.#droppedSilent.delete(nodeId);
    // Alone (most rooms), a state now and then is enough for a node that missed our first
    // one to find us; spanning, every beat keeps the others from dropping us.
    this.#beats += 1;
    if (this.#shares.size > 0 || this.#beats % LONE_HEARTBEAT_EVERY === 0) this.#publish(true);
  }

  #share(): SpanState {
    return {
      type: 'state',
      nodeId: this.options.nodeId,
      incarnation: this.incarnation,
      since: this.since,
      seq: this.#seq,
      open: true,
      ...(this.room.recording && this.isPrimary ? { recording: true } : {}),
      ...(this.#droppedSilent.size > 0
        ? {
            dropped: [...this.#droppedSilent].map(([nodeId, { incarnation, atSeq }]) => ({
              nodeId,
              incarnation,
              atSeq,
            })),
          }
        : {}),
      peers: this.room.localPeers.filter((p) => !p.closed).map(sharedPeer),
    };
  }

  #publish(always: boolean): void {
    const { seq: _seq, ...share } = this.#share();
    const content = JSON.stringify(share);
    if (!always && content === this.#lastSent) return;
    this.#lastSent = content;
    this.#seq += 1;
    this.#send({ ...share, seq: this.#seq });
  }

  #send(message: SpanMessage): void {
    try {
      this.bus.publish(this.#subject, message);
    } catch (error) {
      // Core NATS: the next heartbeat carries the whole state again, unless it cannot be sent
      // at all (a share larger than the server's max_payload): then the others drop this node.
      this.#logger.error({
        msg: 'could not publish a room span message; other nodes drop this one after 5 s without it',
        roomId: this.roomId,
        peers: message.type === 'state' ? message.peers.length : undefined,
        error: String(error),
      });
    }
  }

  /** A message written by a peer of this node goes to the other nodes' peers too. */
  #relayChat(message: ChatData): void {
    const writer = this.room.peer(message.peerId);
    if (!writer || writer.homeNode !== undefined || this.#shares.size === 0) return;
    this.#send({ type: 'chat', nodeId: this.options.nodeId, ...message });
  }

  // --- what the other nodes publish -----------------------------------------------------

  #receive(data: unknown): void {
    if (this.#stopped) return;
    if (!Value.Check(SpanMessageSchema, data)) {
      this.#logger.warn({ msg: 'ignored a malformed room span message', roomId: this.roomId });
      return;
    }
    if (data.nodeId === this.options.nodeId) return;
    if (data.type === 'chat') this.#deliverChat(data);
    else this.#applyState(data);
  }

  #deliverChat({ messageId, peerId, text, sentAt, to }: SpanChat): void {
    const message = { messageId, peerId, text, sentAt, ...(to ? { to } : {}) };
    if (to) {
      const recipient = this.room.peer(to);
      if (recipient && recipient.homeNode === undefined) recipient.notify('chatMessage', message);
      return;
    }
    for (const peer of this.room.localPeers) if (peer.id !== peerId) peer.notify('chatMessage', message);
  }

  #applyState(state: SpanState): void {
    let share = this.#shares.get(state.nodeId);
    if (share && share.state.incarnation !== state.incarnation) {
      // An instance that ended is not heard again; a newer one replaces it.
      if (state.since < share.state.since) return;
      this.#drop(share, 'room closed');
      share = undefined;
    }
    if (!state.open) {
      if (share) this.#drop(share, 'room closed');
      return;
    }
    if (share && state.seq <= share.state.seq) {
      share.heardAtMs = Date.now();
      return;
    }
    if (share && this.#droppedBy(state, share)) {
      // It stopped following this node and closed its end of our pipe: start over on both sides.
      this.#drop(share, 'relinked');
      share = undefined;
    }
    if (!share) {
      share = new RemoteShare(state, this.#linkFor(state.nodeId, state.incarnation), Date.now());
      this.#shares.set(state.nodeId, share);
      this.#logger.log({ msg: 'room spans another media node', roomId: this.roomId, nodeId: state.nodeId });
      // The newcomer learns of this node now, not at the next heartbeat.
      this.#publish(true);
    }
    share.state = state;
    share.heardAtMs = Date.now();
    this.#reconcile(share);
  }

  /** The other node dropped this node for silence after this node began following it. */
  #droppedBy(state: SpanState, share: RemoteShare): boolean {
    return (state.dropped ?? []).some(
      (d) =>
        d.nodeId === this.options.nodeId &&
        d.incarnation === this.incarnation &&
        d.atSeq >= share.followedFromSeq,
    );
  }

  /** Makes what this node shows of the other node's share match its latest state. */
  #reconcile(share: RemoteShare): void {
    const listed = new Set(share.state.peers.map((p) => p.peerId));
    for (const [peerId, mirror] of share.mirrors) {
      if (mirror.closed) {
        // Closed here by the rooms service's word; its node's state will follow.
        share.ended.add(mirror.grant.connection);
        share.mirrors.delete(peerId);
      } else if (!listed.has(peerId)) this.#removeMirror(share, peerId, 'left');
    }
    const connections = new Set(share.state.peers.map((p) => p.connectionId));
    for (const connection of share.ended) if (!connections.has(connection)) share.ended.delete(connection);
    for (const remote of share.state.peers) {
      let mirror = share.mirrors.get(remote.peerId);
      if (mirror && mirror.grant.connection !== remote.connectionId) {
        this.#removeMirror(share, remote.peerId, 'replaced');
        mirror = undefined;
      }
      if (!mirror) {
        // Someone of that id is here already (a reconnection moving between nodes): wait for them to go.
        if (this.room.peer(remote.peerId) || share.ended.has(remote.connectionId)) continue;
        mirror = mirrorPeer({ org: this.orgId, room: this.roomId }, share.nodeId, remote, (message) =>
          this.#send({ type: 'chat', nodeId: this.options.nodeId, ...message }),
        );
        share.mirrors.set(remote.peerId, mirror);
        this.room.admit(mirror);
      } else if (mirror.role !== remote.role) {
        mirror.role = remote.role;
        this.room.broadcast('peerRoleChanged', { peerId: mirror.id, role: remote.role }, mirror);
      }
      mirror.handRaised = remote.handRaised === true;
      this.#reconcileProducers(share, mirror, remote);
    }
    this.#followRecording();
  }

  #reconcileProducers(share: RemoteShare, mirror: Peer, remote: SpanPeer): void {
    const listed = new Map(remote.producers.map((p) => [p.producerId, p]));
    for (const producer of mirror.producers) {
      const wanted = listed.get(producer.id);
      if (!wanted) producer.close();
      else if (wanted.paused !== producer.paused) void this.#setPaused(mirror, producer, wanted.paused);
    }
    for (const wanted of remote.producers)
      if (!mirror.producer(wanted.producerId) && !share.piping.has(wanted.producerId))
        void this.#pipeIn(share, mirror, wanted);
  }

  async #setPaused(mirror: Peer, producer: types.Producer<ProducerAppData>, paused: boolean): Promise<void> {
    try {
      if (paused) await producer.pause();
      else await producer.resume();
      const data = { peerId: mirror.id, producerId: producer.id };
      if (paused) this.room.broadcast('producerPaused', data, mirror);
      else this.room.broadcast('producerResumed', data, mirror);
    } catch {
      // Closed meanwhile: its closing was told.
    }
  }

  /** Asks the producer's node to send it over, then produces it here as the mirror's. */
  async #pipeIn(share: RemoteShare, mirror: Peer, wanted: SpanProducer): Promise<void> {
    share.piping.add(wanted.producerId);
    try {
      const link = share.link;
      const reply = await this.bus.requestPipe({
        orgId: this.orgId,
        roomId: this.roomId,
        fromNode: this.options.nodeId,
        fromIncarnation: this.incarnation,
        toNode: share.nodeId,
        toIncarnation: share.state.incarnation,
        producerId: wanted.producerId,
        pipe: await link.localAddress(),
      });
      await link.connect(reply.pipe);
      if (mirror.closed || link.closed || !share.lists(mirror.id, wanted.producerId)) return;
      const transport = await link.transport();
      const producer = await transport.produce<ProducerAppData>({
        id: wanted.producerId,
        kind: reply.kind,
        rtpParameters: reply.rtpParameters as unknown as types.RtpParameters,
        paused: reply.paused,
        appData: {
          peerId: mirror.id,
          source: wanted.source,
          ...(wanted.language ? { language: wanted.language } : {}),
          ...(wanted.maxHeight ? { maxHeight: wanted.maxHeight } : {}),
        },
      });
      if (mirror.closed || !share.lists(mirror.id, wanted.producerId)) {
        producer.close();
        return;
      }
      this.#seat(mirror, producer, wanted);
    } catch (error) {
      // Tried again with the node's next state.
      this.#logger.warn({
        msg: 'could not pipe a producer from another media node',
        roomId: this.roomId,
        nodeId: share.nodeId,
        producerId: wanted.producerId,
        error: String(error),
      });
    } finally {
      share.piping.delete(wanted.producerId);
    }
  }

  /** A piped producer becomes one of the room's, as if its peer had produced it here. */
  #seat(mirror: Peer, producer: types.Producer<ProducerAppData>, wanted: SpanProducer): void {
    mirror.addProducer(producer);
    if (wanted.language) {
      this.room.languages.add(producer.id, wanted.language);
      producer.observer.once('close', () => this.room.languages.remove(producer.id));
    } else if (wanted.source === 'microphone') {
      void this.room.observeSpeaker(producer).catch(() => undefined);
    }
    const screen = wanted.source === 'screen';
    producer.observer.once('close', () => {
      this.room.broadcast('producerClosed', { peerId: mirror.id, producerId: producer.id }, mirror);
      // As its own node tells its peers (the bus events are that node's to publish).
      if (screen)
        this.room.broadcast(
          'screenShareStopped',
          { peerId: mirror.id, producerId: producer.id, reason: mirror.closed ? 'peer_left' : 'closed' },
          mirror,
        );
    });
    if (screen)
      this.room.broadcast('screenShareStarted', { peerId: mirror.id, producerId: producer.id }, mirror);
    this.room.broadcast(
      'producerAdded',
      {
        peerId: mirror.id,
        producerId: producer.id,
        kind: producer.kind,
        source: wanted.source,
        paused: producer.paused,
        ...(wanted.language ? { language: wanted.language } : {}),
      },
      mirror,
    );
  }

  #removeMirror(share: RemoteShare, peerId: string, reason: string): void {
    const mirror = share.mirrors.get(peerId);
    share.mirrors.delete(peerId);
    if (!mirror) return;
    mirror.close(reason);
  }

  #drop(share: RemoteShare, reason: string): void {
    this.#shares.delete(share.nodeId);
    for (const peerId of [...share.mirrors.keys()]) this.#removeMirror(share, peerId, reason);
    share.link.close();
    if (this.#links.get(share.nodeId) === share.link) this.#links.delete(share.nodeId);
    this.#followRecording();
    if (!this.#stopped)
      this.#logger.log({
        msg: 'room no longer spans a media node',
        roomId: this.roomId,
        nodeId: share.nodeId,
        reason,
      });
  }

  /** Peers of a node that does not record the room learn from the node that does. */
  #followRecording(): void {
    // A node that becomes the primary forgets what it followed: its own recorder, if one
    // comes, says from then on.
    const primary = this.isPrimary;
    if (primary && !this.#recordingFollowed) return;
    const recorded = !primary && [...this.#shares.values()].some((share) => share.state.recording === true);
    this.#recordingFollowed = recorded;
    if (recorded === this.room.recording) return;
    this.room.recording = recorded;
    this.room.broadcast('recordingChanged', { recording: recorded });
  }
}

function sharedPeer(peer: Peer): SpanPeer {
  return {
    peerId: peer.id,
    connectionId: peer.grant.connection,
    role: peer.role,
    ...(peer.displayName ? { displayName: peer.displayName } : {}),
    ...(peer.handRaised ? { handRaised: true } : {}),
    producers: peer.producers.filter((p) => !p.closed).map(sharedProducer),
  };
}

function sharedProducer(producer: types.Producer<ProducerAppData>): SpanProducer {
  return {
    producerId: producer.id,
    kind: producer.kind,
    source: producer.appData.source,
    paused: producer.paused,
    ...(producer.appData.language ? { language: producer.appData.language } : {}),
    ...(producer.appData.maxHeight ? { maxHeight: producer.appData.maxHeight } : {}),
  };
}
