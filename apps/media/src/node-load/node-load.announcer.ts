import { Logger } from '@nestjs/common';
import type { Announcements } from '@confer/bus';
import { MediaNodeLoad } from '@confer/contracts';
import type { RoomRegistry } from '../rooms/room-registry';
import type { WorkerPool } from '../workers/worker-pool';

export interface NodeIdentity {
  nodeId: string;
  /** The media server id (servN) whose rooms this node serves. */
  serverGroup: string;
  /** Base URL clients reach this node's signaling at. */
  url: string;
  /** Where the front door reaches this node, to route signaling to it by node id. */
  origin?: string;
  maxConsumers: number;
}

/**
 * Tells the rooms services, every `intervalMs`, who this media process is and how loaded
 * it is (`confer.sys.media.node-load.v1`), so they place new rooms on the least-loaded
 * node of a server group. CPU is the workers' own time over the interval, as a share of
 * their cores. On shutdown the last report says `draining`: no new rooms come here.
 */
export class NodeLoadAnnouncer {
  readonly #logger = new Logger(NodeLoadAnnouncer.name);
  #timer?: NodeJS.Timeout;
  #last?: { at: number; cpuSeconds: number };
  #state: 'active' | 'draining' = 'active';
  #stopping = false;

  constructor(
    private readonly announcements: Announcements,
    private readonly rooms: RoomRegistry,
    private readonly workers: WorkerPool,
    private readonly node: NodeIdentity,
    private readonly intervalMs: number,
    /** Consumers that belong to no peer (recorders'), counted with the peers' ones. */
    private readonly otherConsumers: () => number = () => 0,
  ) {}

  start(): void {
    void this.report();
    this.#timer = setInterval(() => void this.report(), this.intervalMs);
    this.#timer.unref();
  }

  /** Says `draining` from now on, in every report: rooms here go on, new ones go elsewhere. */
  async markDraining(): Promise<void> {
    this.#state = 'draining';
    await this.report();
  }

  /**
   * The last report, as the process stops: it says `stopping`, so that the front door stops
   * routing new connections here at once instead of after the reports' silence.
   */
  async drain(): Promise<void> {
    clearInterval(this.#timer);
    this.#state = 'draining';
    this.#stopping = true;
    await this.report();
  }

  async report(): Promise<void> {
    try {
      const usage = await this.workers.cpuUsage();
      const now = Date.now();
      const cpuSeconds = usage.reduce((sum, u) => sum + u.cpuSeconds, 0);
      const previous = this.#last;
      this.#last = { at: now, cpuSeconds };
      const cpu = previous
        ? Math.min(
            1,
            Math.max(
              0,
              (cpuSeconds - previous.cpuSeconds) / ((now - previous.at) / 1000) / this.workers.size,
            ),
          )
        : 0;
      const peers = this.rooms.all.flatMap((room) => room.localPeers);
      this.announcements.publish(MediaNodeLoad, {
        ...this.node,
        state: this.#state,
        reportedAt: new Date(now).toISOString(),
        intervalMs: this.intervalMs,
        workers: this.workers.size,
        rooms: this.rooms.all.length,
        peers: peers.length,
        transports: peers.reduce((n, p) => n + p.transports.length, 0),
        producers: peers.reduce((n, p) => n + p.producers.length, 0),
        consumers: peers.reduce((n, p) => n + p.consumers.length, 0) + this.otherConsumers(),
        cpu: Math.round(cpu * 1000) / 1000,
        ...(this.#stopping ? { stopping: true } : {}),
      });
    } catch (error) {
      this.#logger.warn({ msg: 'could not announce this node’s load', error: String(error) });
    }
  }
}
