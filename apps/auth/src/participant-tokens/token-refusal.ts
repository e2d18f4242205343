import { TokenRefusalReason } from '@confer/contracts';

/**
 * Raised inside the verifier when a token is refused. The verifier turns it into the
 * `{ valid: false, reason, message }` reply; anything else thrown (a database outage)
 * is not a refusal and travels as a command error instead, so that callers never
 * mistake an outage for a bad token.
 */
export class TokenRefused extends Error {
  constructor(
    readonly reason: TokenRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRefused';
  }
}

export function refuse(reason: TokenRefusalReason, message: string): never {
  throw new TokenRefused(reason, message);
}
