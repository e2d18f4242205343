// The media nodes the front door can route signaling to, learnt from their load reports on
// NATS (the contract is MediaNodeLoad in libs/contracts; this file is plain JavaScript, so it
// repeats the little of it that routing needs). A node is reached at its announced `origin`
// under /v1/media/nodes/<nodeId>/, so many nodes of one server group share one public host.
import { connect } from 'nats';

export const MEDIA_NODE_LOAD_SUBJECT = 'confer.sys.media.node-load.v1';
export const MEDIA_NODE_PATH = '/v1/media/nodes/';
const NODE_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const ORIGIN = /^https?:\/\/[^/?#]+$/;

/** As the rooms service: a node is gone after 5 s of silence, or 2.5 of its intervals if sooner. */
export const MEDIA_NODE_STALE_AFTER_MS = 5_000;

/**
 * `/v1/media/nodes/<nodeId>/rest?query` → the node id and the path to ask the node for
 * (`/rest?query`); undefined when the path is not under /v1/media/nodes/. A node id the
 * contract would refuse comes back as `{ invalid: true }`.
 */
export function nodeRouteOf(url) {
  if (!url.startsWith(MEDIA_NODE_PATH)) return undefined;
  const rest = url.slice(MEDIA_NODE_PATH.length);
  const end = rest.search(/[/?]/);
  const nodeId = end === -1 ? rest : rest.slice(0, end);
  if (!NODE_ID.test(nodeId)) return { invalid: true, nodeId };
  const tail = end === -1 ? '' : rest.slice(end);
  return { nodeId, path: tail.startsWith('/') ? tail : `/${tail}` };
}

/** A report as routing needs it, or undefined when it is not one (a faulty announcer is ignored). */
export function parseNodeReport(data) {
  let report;
  try {
    report = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof report !== 'object' || report === null) return undefined;
  const { nodeId, origin, intervalMs, stopping } = report;
  if (typeof nodeId !== 'string' || !NODE_ID.test(nodeId)) return undefined;
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 60_000) return undefined;
  if (origin !== undefined && (typeof origin !== 'string' || !ORIGIN.test(origin))) return undefined;
  return { nodeId, origin, intervalMs, stopping: stopping === true };
}

/** The live nodes by id: each report renews its node; silence or `stopping` ends it. */
export class MediaNodeDirectory {
  #nodes = new Map();

  constructor(now = Date.now) {
    this.now = now;
  }

  hear(report) {
    // A node that announces no origin cannot be routed to (it is reached some other way).
    if (report.stopping || !report.origin) return void this.#nodes.delete(report.nodeId);
    const staleAfterMs = Math.min(MEDIA_NODE_STALE_AFTER_MS, Math.ceil(report.intervalMs * 2.5));
    this.#nodes.set(report.nodeId, { origin: report.origin, heardAtMs: this.now(), staleAfterMs });
  }

  /** Where a live node is reached, or undefined (never heard, stopped, or silent too long). */
  originOf(nodeId) {
    const node = this.#nodes.get(nodeId);
    if (!node) return undefined;
    if (this.now() - node.heardAtMs > node.staleAfterMs) {
      this.#nodes.delete(nodeId);
      return undefined;
    }
    return node.origin;
  }
}

/**
 * Follows the reports on NATS into `directory`; resolves once subscribed. Until NATS answers
 * (it keeps trying) no node is known: do not hold the front door's other routes on it.
 */
export async function followMediaNodes(natsUrl, directory, log = () => undefined) {
  const nc = await connect({
    servers: natsUrl,
    name: 'confer-front-door',
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
  });
  nc.subscribe(MEDIA_NODE_LOAD_SUBJECT, {
    callback: (error, message) => {
      if (error) return log('warn', 'media node reports: subscription error', { error: String(error) });
      const report = parseNodeReport(message.data);
      if (report) directory.hear(report);
      else log('warn', 'media node report ignored: not a valid report');
    },
  });
  await nc.flush();
  return nc;
}

/**
 * Where a request under /v1/media/nodes/ goes: `{ origin, path }` of a live node, or the
 * error to answer (`{ status, code, message }`); undefined for every other path.
 */
export function routeToMediaNode(directory, url) {
  const route = nodeRouteOf(url);
  if (!route) return undefined;
  if (route.invalid)
    return {
      error: {
        status: 400,
        code: 'invalid_path',
        message: 'a media node id is 1 to 128 of A-Z a-z 0-9 _ . -',
      },
    };
  const origin = directory?.originOf(route.nodeId);
  if (!origin)
    return {
      error: {
        status: 503,
        code: 'media_node_unavailable',
        message: `media node ${route.nodeId} is not reachable here: never announced, stopped, or silent`,
      },
    };
  return { nodeId: route.nodeId, origin, path: route.path };
}
