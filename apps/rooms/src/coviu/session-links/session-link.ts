import { RoomErrors } from '../../rooms.errors';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_TOKEN_LENGTH = 16384;

/**
 * The `sid` of a session link, read without verifying it: only to name the room the
 * auth service verifies the token for. Nothing else is taken from an unverified token.
 */
export function sessionIdOf(token: string): string {
  const malformed = (message: string) => RoomErrors.tokenInvalid({ reason: 'malformed' }, { message });
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token))
    throw malformed('The session link is not a signed token');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    throw malformed('The session link is not a signed token');
  }
  const sid = (payload as { sid?: unknown } | null)?.sid;
  if (typeof sid !== 'string' || sid.length === 0)
    throw malformed('The session link names no session (claim "sid")');
  return sid;
}

/** The room's web page; the web client makes the join with the token. */
export function roomPageUrl(publicUrl: string, roomId: string, token: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/call/?roomId=${encodeURIComponent(roomId)}&token=${encodeURIComponent(token)}`;
}
