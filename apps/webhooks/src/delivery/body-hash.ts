import { createHash } from 'crypto';

/**
 * The `body_sha256` claim: base64url SHA-256 of the exact bytes sent. A receiver
 * hashes the raw body it got and compares, so a body cannot be altered or replayed
 * under another delivery's token.
 */
export function bodySha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}
