import type { KnownMediaNode, MediaNodeReport } from './media-node-registry';

/**
 * How full a node is, 0 (idle) to 1 (full): the scarcer of its CPU and its consumer
 * capacity. CPU alone lags (a room that just started has no media yet); consumers alone
 * miss heavy encoders such as simulcast senders.
 */
export function loadOf(report: MediaNodeReport): number {
  return Math.min(1, Math.max(report.cpu, report.consumers / report.maxConsumers));
}

/** Assumed load of a room a node has not reported yet, when it reports no rooms to average. */
const NEW_ROOM_LOAD = 0.02;

/**
 * The node's load with the rooms placed since its last report added, at its average load
 * per room: without it, every room placed between two reports would go to the same node.
 */
export function expectedLoadOf(node: KnownMediaNode): number {
  const { report, placedSinceReport } = node;
  if (placedSinceReport === 0) return loadOf(report);
  const perRoom = report.rooms > 0 ? loadOf(report) / report.rooms : NEW_ROOM_LOAD;
  return loadOf(report) + placedSinceReport * Math.max(perRoom, NEW_ROOM_LOAD / 4);
}

export interface PlacementChoice {
  node: MediaNodeReport;
  /** False when no live node serves the group the room id names and another group's took it. */
  inRequestedGroup: boolean;
}

/**
 * Picks the node for a new room: the least-loaded active node of the server group its
 * room id names, or of any group when that one has none. Draining nodes never take a room.
 * Ties go to the node with fewer rooms, then by id, so every replica decides the same way
 * from the same reports.
 */
export function chooseNodeForRoom(
  nodes: readonly KnownMediaNode[],
  serverGroup: string,
): PlacementChoice | undefined {
  let best: KnownMediaNode | undefined;
  let bestInGroup: KnownMediaNode | undefined;
  for (const node of nodes) {
    if (node.report.state !== 'active') continue;
    if (isLighter(node, best)) best = node;
    if (node.report.serverGroup === serverGroup && isLighter(node, bestInGroup)) bestInGroup = node;
  }
  if (bestInGroup) return { node: bestInGroup.report, inRequestedGroup: true };
  return best ? { node: best.report, inRequestedGroup: false } : undefined;
}

function isLighter(candidate: KnownMediaNode, current: KnownMediaNode | undefined): boolean {
  if (!current) return true;
  const a = expectedLoadOf(candidate);
  const b = expectedLoadOf(current);
  if (a !== b) return a < b;
  const roomsA = candidate.report.rooms + candidate.placedSinceReport;
  const roomsB = current.report.rooms + current.placedSinceReport;
  if (roomsA !== roomsB) return roomsA < roomsB;
  return candidate.report.nodeId < current.report.nodeId;
}

/**
 * Where a newcomer to a room goes when the room's node is loaded to `spanAtLoad` or more,
 * or is draining (it takes no new peer of its rooms either; those there stay until they
 * leave): the least-loaded other active node of the same group, below the threshold unless
 * the room's node is draining. None: the room's node takes the peer anyway (better crowded
 * than refused).
 */
export function chooseNodeForSpan(
  nodes: readonly KnownMediaNode[],
  home: KnownMediaNode,
  spanAtLoad: number,
): MediaNodeReport | undefined {
  const leaving = home.report.state !== 'active';
  if (!leaving && (spanAtLoad >= 1 || expectedLoadOf(home) < spanAtLoad)) return undefined;
  let best: KnownMediaNode | undefined;
  for (const node of nodes) {
    const { report } = node;
    if (report.nodeId === home.report.nodeId || report.state !== 'active') continue;
    if (report.serverGroup !== home.report.serverGroup) continue;
    if (!leaving && expectedLoadOf(node) >= spanAtLoad) continue;
    if (isLighter(node, best)) best = node;
  }
  return best?.report;
}
