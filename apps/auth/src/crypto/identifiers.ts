import { randomBytes } from 'crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id with a prefix saying what it names, e.g. "org_k2j4…", "ak_…". */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${id}`;
}

/** A secret of 256 bits, enough for HS256 (RFC 7518 §3.2 wants at least the hash size). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
