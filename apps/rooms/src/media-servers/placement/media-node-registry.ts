import type { AnnouncementOf, MediaNodeLoad } from '@confer/contracts';

export type MediaNodeReport = AnnouncementOf<typeof MediaNodeLoad>;

export interface KnownMediaNode {
  report: MediaNodeReport;
  /** When this replica heard it, by its own clock (a node's clock may be off). */
  heardAtMs: number;
  /** Rooms this replica placed on it since that report, which the report cannot show yet. */
  placedSinceReport: number;
}

/** A node is gone when its reports stop: after this long, or 2.5 of its intervals if sooner. */
export const MEDIA_NODE_STALE_AFTER_MS = 5_000;

/**
 * The media nodes this rooms replica has heard from, by node id. Every replica hears every
 * report, so each keeps its own copy; nothing here is shared state that replicas must agree
 * on (which node a room lives on is, and is kept with the room).
 */
export class MediaNodeRegistry {
  readonly #nodes = new Map<string, KnownMediaNode>();

  constructor(private readonly now: () => number = Date.now) {}

  record(report: MediaNodeReport): void {
    this.#nodes.set(report.nodeId, { report, heardAtMs: this.now(), placedSinceReport: 0 });
  }

  /** A room was just placed on the node: count it until the node's next report does. */
  notePlaced(nodeId: string): void {
    const node = this.#nodes.get(nodeId);
    if (node) node.placedSinceReport += 1;
  }

  /** A node said it is leaving (or its process ended cleanly): forget it at once. */
  forget(nodeId: string): void {
    this.#nodes.delete(nodeId);
  }

  /** Nodes heard from recently enough, in no particular order. Forgets the others. */
  live(): KnownMediaNode[] {
    const now = this.now();
    const live: KnownMediaNode[] = [];
    for (const [id, node] of this.#nodes) {
      if (now - node.heardAtMs > staleAfterMs(node.report)) this.#nodes.delete(id);
      else live.push(node);
    }
    return live;
  }

  isLive(nodeId: string): boolean {
    const node = this.#nodes.get(nodeId);
    return node !== undefined && this.now() - node.heardAtMs <= staleAfterMs(node.report);
  }

  get(nodeId: string): KnownMediaNode | undefined {
    return this.isLive(nodeId) ? this.#nodes.get(nodeId) : undefined;
  }
}

function staleAfterMs(report: MediaNodeReport): number {
  return Math.min(MEDIA_NODE_STALE_AFTER_MS, Math.ceil(report.intervalMs * 2.5));
}
