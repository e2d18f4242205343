import type { MediaConfig } from '../config/media.config';

/** Where the front door routes `/v1/media/nodes/<node id>/…`: that node, with the prefix stripped. */
export const ROUTED_NODE_PATH = '/v1/media/nodes';

/**
 * The base URL clients reach this process's signaling at, as its load reports announce it:
 * configured, or the front door's route to this very node, or (one node per public host)
 * the public URL itself.
 */
export function nodeUrlOf(
  config: Pick<MediaConfig, 'MEDIA_NODE_URL' | 'MEDIA_NODE_ROUTED' | 'PUBLIC_URL'>,
  nodeId: string,
): string {
  if (config.MEDIA_NODE_URL) return config.MEDIA_NODE_URL.replace(/\/+$/, '');
  const publicUrl = config.PUBLIC_URL.replace(/\/+$/, '');
  return config.MEDIA_NODE_ROUTED ? `${publicUrl}${ROUTED_NODE_PATH}/${nodeId}` : publicUrl;
}

/**
 * Where the front door reaches this process: configured (a pod's own IP), or this machine's
 * loopback on the service's port. None while the port is chosen at start (MEDIA_PORT=0):
 * no one can route to an address that is not known yet.
 */
export function nodeOriginOf(
  config: Pick<MediaConfig, 'MEDIA_NODE_ORIGIN' | 'MEDIA_PORT'>,
): string | undefined {
  if (config.MEDIA_NODE_ORIGIN) return config.MEDIA_NODE_ORIGIN;
  return config.MEDIA_PORT > 0 ? `http://127.0.0.1:${config.MEDIA_PORT}` : undefined;
}
