import type { VerifiedParticipant } from '@confer/contracts';
import type { RoomSettingsValues } from '../rooms/room-settings';
import type { JoinRequestDto } from './join.request.dto';

/** The attributes that decide a join, after every source had its say. */
export interface EffectiveAttributes extends RoomSettingsValues {
  itisparticipant?: boolean;
  accessToken?: string;
  video?: string;
  lang?: string;
  [other: string]: unknown;
}

// Settings an organisation fixed for the room may not be loosened by a link anyone can edit.
const URL_ATTRIBUTES = [
  'accessToken',
  'accessUrl',
  'authorizationAccess',
  'apiEvent',
  'authEvent',
  'itisparticipant',
  'handEnabled',
  'maxBroadcasters',
  'maxWatchers',
  'tokenLifetime',
  'video',
  'disableChat',
  'lang',
] as const;

/**
 * Gcore's precedence, with the room's prepared settings between the two: a value in
 * the token wins over the room's settings, which win over the link's URL attributes.
 * JWT-only attributes (role, canRecord, waitingRoom, startTime) come only from the
 * token or the room's settings: the request DTO refuses them.
 */
export function effectiveAttributes(
  request: JoinRequestDto,
  settings: RoomSettingsValues,
  participant?: VerifiedParticipant,
): EffectiveAttributes {
  const fromUrl: Record<string, unknown> = {};
  for (const name of URL_ATTRIBUTES) if (request[name] !== undefined) fromUrl[name] = request[name];
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    ...fromUrl,
    ...defined(settings as Record<string, unknown>),
    ...defined(participant?.attributes ?? {}),
  };
}
