import type { MediaKind, MediaSource } from '@confer/contracts';
import type { GrantPermissions } from '../grants/join-grant';

const KIND_OF_SOURCE: Record<MediaSource, MediaKind> = {
  microphone: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
};
const PERMISSION_OF_SOURCE: Record<MediaSource, keyof GrantPermissions> = {
  microphone: 'publishAudio',
  camera: 'publishVideo',
  screen: 'shareScreen',
  screenAudio: 'shareScreen',
};

/** Why a peer may not produce this kind from this source, or null when it may. */
export function refuseToProduce(
  perms: GrantPermissions,
  kind: MediaKind,
  source: MediaSource,
): string | null {
  if (KIND_OF_SOURCE[source] !== kind)
    return `a ${source} producer carries ${KIND_OF_SOURCE[source]}, not ${kind}`;
  const permission = PERMISSION_OF_SOURCE[source];
  if (perms[permission] !== true) return `your role may not publish ${source} (${permission} is not granted)`;
  return null;
}
