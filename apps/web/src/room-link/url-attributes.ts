/**
 * A room link (`/call/?roomId=…&displayName=…`) read into what the page needs: the
 * attributes the rooms service decides a join with, under their documented names, and
 * the ones that only shape this page. Gcore's links are the reference for the names.
 */

export type Face = 'call' | 'webinar';

/** What the rooms service's `POST /v1/rooms/{roomId}/joins` accepts from a link. */
export interface JoinAttributes {
  token?: string;
  orgId?: string;
  peerId?: string;
  displayName?: string;
  accessToken?: string;
  accessUrl?: string;
  authorizationAccess?: string;
  apiEvent?: string;
  authEvent?: string;
  itisparticipant?: boolean;
  handEnabled?: boolean;
  maxBroadcasters?: number;
  maxWatchers?: number;
  tokenLifetime?: number;
  video?: string;
  disableChat?: boolean;
  lang?: string;
}

/** Attributes that only change how this page looks and behaves. */
export interface PageAttributes {
  lang?: string;
  disableChat: boolean;
  handEnabled: boolean;
  hideIndicators: boolean;
  controlsDisabled: boolean;
  nameScreenDisabled: boolean;
  startWithFS: boolean;
  minimizeTiles: boolean;
  sortPeers: boolean;
  autoplayWithoutAudioTrack: boolean;
  /** The external player everyone watches together. */
  video?: string;
  /** A display name fixed by the link cannot be changed in the page. */
  displayNameFixed: boolean;
}

export interface RoomLink {
  face: Face;
  roomId: string;
  join: JoinAttributes;
  page: PageAttributes;
  /** Attributes only a participant token may carry; a link carrying them is not obeyed. */
  ignoredJwtOnly: string[];
  /** Values the page could not read, by attribute name. */
  problems: string[];
}

/** `roomId` is required; everything else is optional. */
export class RoomLinkError extends Error {
  constructor(readonly attribute: string) {
    super(`the room link has no valid ${attribute}`);
  }
}

const JWT_ONLY = ['role', 'canRecord', 'waitingRoom'] as const;
const STRING_ATTRIBUTES = [
  'token',
  'orgId',
  'peerId',
  'displayName',
  'accessToken',
  'accessUrl',
  'authorizationAccess',
  'apiEvent',
  'authEvent',
  'video',
] as const;
const INTEGER_ATTRIBUTES = ['maxBroadcasters', 'maxWatchers', 'tokenLifetime'] as const;
const ROOM_ID = /^[A-Za-z0-9_-]{1,128}$/;
const LANG = /^[a-z]{2}(-[A-Za-z]{2})?$/;

/** The face comes from the path: /webinar/ opens the same room as /call/, as a webinar. */
export function faceOf(pathname: string): Face {
  return /(^|\/)webinar(\/|$)/.test(pathname) ? 'webinar' : 'call';
}

export function parseRoomLink(href: string): RoomLink {
  const url = new URL(href);
  const params = url.searchParams;
  const problems: string[] = [];
  const roomId = params.get('roomId') ?? '';
  if (!ROOM_ID.test(roomId)) throw new RoomLinkError('roomId');

  const flag = (name: string): boolean | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    // `&startWithFS` alone reads as true, as people write it.
    if (raw === '' || raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(name);
    return undefined;
  };

  const join: JoinAttributes = {};
  for (const name of STRING_ATTRIBUTES) {
    const value = params.get(name);
    if (value !== null && value !== '') join[name] = value;
  }
  for (const name of INTEGER_ATTRIBUTES) {
    const raw = params.get(name);
    if (raw === null) continue;
    const value = Number(raw);
    if (Number.isInteger(value) && value > 0) join[name] = value;
    else problems.push(name);
  }
  for (const name of ['itisparticipant', 'handEnabled', 'disableChat'] as const) {
    const value = flag(name);
    if (value !== undefined) join[name] = value;
  }
  // Gcore's own example misspells it; accept both.
  if (join.disableChat === undefined) {
    const misspelt = flag('disbleChat');
    if (misspelt !== undefined) join.disableChat = misspelt;
  }
  const lang = params.get('lang')?.toLowerCase();
  if (lang && LANG.test(lang)) join.lang = lang;
  else if (lang) problems.push('lang');

  const page: PageAttributes = {
    ...(join.lang ? { lang: join.lang } : {}),
    disableChat: join.disableChat === true,
    handEnabled: join.handEnabled === true,
    hideIndicators: flag('hideIndicators') === true,
    controlsDisabled: flag('controlsDisabled') === true,
    nameScreenDisabled: flag('nameScreenDisabled') === true,
    startWithFS: flag('startWithFS') === true,
    minimizeTiles: flag('minimizeTiles') === true,
    sortPeers: flag('sortPeers') === true,
    autoplayWithoutAudioTrack: flag('autoplayWithoutAudioTrack') === true,
    ...(join.video ? { video: join.video } : {}),
    displayNameFixed: join.displayName !== undefined,
  };

  return {
    face: faceOf(url.pathname),
    roomId,
    join,
    page,
    ignoredJwtOnly: JWT_ONLY.filter((name) => params.has(name)),
    problems,
  };
}

/** The join body for the rooms service: the link's attributes, plus what the page chose. */
export function joinBody(
  link: RoomLink,
  chosen: { displayName?: string; peerId?: string; waitingTicket?: string },
): Record<string, unknown> {
  return {
    ...link.join,
    face: link.face,
    ...(chosen.displayName ? { displayName: chosen.displayName } : {}),
    ...(chosen.peerId ? { peerId: chosen.peerId } : {}),
    ...(chosen.waitingTicket ? { waitingTicket: chosen.waitingTicket } : {}),
  };
}
