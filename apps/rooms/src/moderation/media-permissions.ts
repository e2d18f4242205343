import type { ModerationActions } from '@confer/contracts';
import type { Permissions } from '../joins/roles';

export type ModerationAction = (typeof ModerationActions)[number];
export const ROOM_ACTIONS = ['disable_all_audio', 'disable_all_video'] as const;
export type RoomModerationAction = (typeof ROOM_ACTIONS)[number];
export type PeerModerationAction = Exclude<ModerationAction, RoomModerationAction>;
export const PEER_ACTIONS: readonly PeerModerationAction[] = [
  'disable_audio',
  'disable_video',
  'allow_screen_share',
  'forbid_screen_share',
  'request_audio',
  'request_video',
  'request_screen_share',
  'lower_hand',
  'remove_peer',
];

/** What a moderator changed for a peer, kept for the room's life so a reconnection keeps it. */
export type MediaPermissionOverrides = Partial<
  Pick<Permissions, 'publishAudio' | 'publishVideo' | 'shareScreen'>
>;

/**
 * A moderator narrows what the role allows and can undo that; it never lifts what the
 * role forbids (a webinar viewer becomes a speaker by a role change, not by a permission).
 */
export function withOverrides(base: Permissions, overrides: MediaPermissionOverrides): Permissions {
  return {
    ...base,
    publishAudio: base.publishAudio && overrides.publishAudio !== false,
    publishVideo: base.publishVideo && overrides.publishVideo !== false,
    shareScreen: base.shareScreen && overrides.shareScreen !== false,
  };
}

/** The overrides after an action; unchanged for actions that leave no state behind. */
export function overridesAfter(
  action: PeerModerationAction,
  overrides: MediaPermissionOverrides,
): MediaPermissionOverrides {
  if (action === 'forbid_screen_share') return { ...overrides, shareScreen: false };
  if (action === 'allow_screen_share') {
    const { shareScreen: _s, ...rest } = overrides;
    return rest;
  }
  return overrides;
}

/**
 * Why an action cannot apply to a peer with these permissions (its role's `base`,
 * and the `effective` ones after a moderator's overrides), or null when it can.
 */
export function inapplicability(
  action: PeerModerationAction,
  base: Permissions,
  effective: Permissions,
): string | null {
  switch (action) {
    case 'disable_audio':
    case 'request_audio':
      return base.publishAudio ? null : 'This peer cannot send audio in its role';
    case 'disable_video':
    case 'request_video':
      return base.publishVideo ? null : 'This peer cannot send video in its role';
    case 'allow_screen_share':
      return base.shareScreen ? null : 'This peer cannot share a screen in its role; change its role first';
    case 'forbid_screen_share':
      return base.shareScreen ? null : 'This peer cannot share a screen anyway';
    case 'request_screen_share':
      return effective.shareScreen ? null : 'This peer may not share a screen; allow it first';
    case 'lower_hand':
    case 'remove_peer':
      return null;
  }
}
