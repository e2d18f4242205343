import type { types } from 'mediasoup';

export interface PipeAddress {
  ip: string;
  port: number;
}

export interface PipeListen {
  /** The address the pipe transport binds to. */
  ip: string;
  /** The address other nodes reach it at, when it differs (NAT, container). */
  announcedIp?: string;
}

/**
 * One room's pipe between this node and one instance of the room on another node: one
 * mediasoup PipeTransport each side, connected to each other once both addresses are
 * known. Producers travel both ways over it: this side's consumed into it for the other
 * node, the other's produced out of it here.
 */
export class PipeLink {
  #transport?: Promise<types.PipeTransport>;
  #connecting?: { to: PipeAddress; done: Promise<void> };
  /** This side's pipe consumers by producer id: one per producer, however often asked. */
  readonly #consumers = new Map<string, Promise<types.Consumer>>();
  #closed = false;

  constructor(
    private readonly router: types.Router,
    /** The other side's node and room instance. */
    readonly remoteNode: string,
    readonly remoteIncarnation: string,
    private readonly listen: PipeListen,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * RTX and NACK are on: the nodes are different hosts, and a packet lost between them
   * is resent instead of waiting for the next key frame.
   */
  transport(): Promise<types.PipeTransport> {
    if (this.#closed) return Promise.reject(new Error('pipe link closed'));
    this.#transport ??= this.router.createPipeTransport({
      listenIp: {
        ip: this.listen.ip,
        ...(this.listen.announcedIp ? { announcedIp: this.listen.announcedIp } : {}),
      },
      enableRtx: true,
      appData: { pipeTo: this.remoteNode },
    });
    return this.#transport;
  }

  async localAddress(): Promise<PipeAddress> {
    const transport = await this.transport();
    return { ip: this.listen.announcedIp ?? transport.tuple.localIp, port: transport.tuple.localPort };
  }

  /** Connects this side to the other's address, once; the same address again is a no-op. */
  async connect(to: PipeAddress): Promise<void> {
    if (this.#connecting) {
      if (this.#connecting.to.ip !== to.ip || this.#connecting.to.port !== to.port)
        throw new Error(`pipe to ${this.remoteNode} is already connected elsewhere`);
      return this.#connecting.done;
    }
    const done = this.transport().then((transport) => transport.connect(to));
    this.#connecting = { to, done };
    return done;
  }

  /** This node's producer sent into the pipe (the same consumer when asked again). */
  consume(producerId: string): Promise<types.Consumer> {
    const existing = this.#consumers.get(producerId);
    if (existing) return existing;
    const consuming = this.transport().then(async (transport) => {
      const consumer = await transport.consume({ producerId });
      consumer.observer.once('close', () => this.#consumers.delete(producerId));
      return consumer;
    });
    consuming.catch(() => this.#consumers.delete(producerId));
    this.#consumers.set(producerId, consuming);
    return consuming;
  }

  /** Producers sent into this pipe (for the node's load). */
  get consumerCount(): number {
    return this.#consumers.size;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#transport?.then((transport) => transport.close()).catch(() => undefined);
  }
}
