import { AccessTokenVerifier, InvalidAccessToken } from './access-token.verifier';
import { Principal } from './principal';
import { RevokedApiKeys } from './revoked-api-keys';

/** A verifier that also refuses tokens whose API key was revoked since they were issued. */
export class RevocationAwareVerifier extends AccessTokenVerifier {
  constructor(
    private readonly inner: AccessTokenVerifier,
    private readonly revoked: RevokedApiKeys,
  ) {
    super();
  }

  async verify(token: string): Promise<Principal> {
    const principal = await this.inner.verify(token);
    if (this.revoked.has(principal.clientId)) {
      throw new InvalidAccessToken('the API key behind this access token was revoked');
    }
    return principal;
  }
}
