import { createRemoteJWKSet, errors, JWTHeaderParameters, jwtVerify, JWTPayload } from 'jose';
import { JOIN_GRANT_ALGORITHM, JOIN_GRANT_AUDIENCE, JOIN_GRANT_KEYS_PATH } from '@confer/contracts';
import { MediaErrors } from '../media.errors';
import { GrantPermissions, JoinGrant, JoinGrantVerifier } from './join-grant';

export interface RemoteJwksJoinGrantOptions {
  /** The rooms service, whose replicas sign grants (EdDSA) and list their keys at JOIN_GRANT_KEYS_PATH. */
  roomsUrl: string;
  /**
   * Auth's JWKS: grants signed RS256 by the platform key, as rooms did before it signed
   * its own, are still taken (a rolling upgrade has both kinds of rooms replica).
   */
  jwksUrl: string;
  issuer: string;
  /** This server's id: a grant naming another media server is refused. */
  mediaServerId: string;
  /** This process's node id, which a grant placed on this very node names instead. */
  nodeId?: string;
}

const PERMISSIONS = ['publishAudio', 'publishVideo', 'shareScreen', 'subscribe'] as const;
const STRING_CLAIMS = [
  'org',
  'room',
  'session',
  'conferenceNumber',
  'peer',
  'connection',
  'role',
  'mediaServer',
] as const;

function why(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the join grant has expired; join the room again';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the join grant's ${error.claim} claim is not valid here`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the join grant signature is not valid';
  if (error instanceof errors.JOSEError) return `the join grant is not valid (${error.code})`;
  return 'the join grant is not valid';
}

function grantOf(payload: JWTPayload): JoinGrant {
  const claims = payload as Record<string, unknown>;
  for (const name of STRING_CLAIMS) {
    if (typeof claims[name] !== 'string') throw MediaErrors.invalidGrant({ claim: name });
  }
  const perms = claims.perms as Record<string, unknown> | undefined;
  if (!perms || typeof perms !== 'object' || PERMISSIONS.some((p) => typeof perms[p] !== 'boolean')) {
    throw MediaErrors.invalidGrant({ claim: 'perms' });
  }
  return {
    ...(Object.fromEntries(STRING_CLAIMS.map((name) => [name, claims[name]])) as Pick<
      JoinGrant,
      (typeof STRING_CLAIMS)[number]
    >),
    perms: perms as GrantPermissions,
    expiresAt: payload.exp ?? 0,
    ...optionalClaims(claims),
  };
}

/** Claims a grant may carry; a malformed one is refused rather than ignored. */
function optionalClaims(
  claims: Record<string, unknown>,
): Pick<JoinGrant, 'maxBroadcasters' | 'intLang' | 'displayName'> {
  const { maxBroadcasters, intLang, displayName } = claims;
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length > 256))
    throw MediaErrors.invalidGrant({ claim: 'displayName' });
  if (
    maxBroadcasters !== undefined &&
    (!Number.isInteger(maxBroadcasters) || (maxBroadcasters as number) < 0)
  )
    throw MediaErrors.invalidGrant({ claim: 'maxBroadcasters' });
  if (
    intLang !== undefined &&
    (typeof intLang !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(intLang))
  )
    throw MediaErrors.invalidGrant({ claim: 'intLang' });
  return {
    ...(maxBroadcasters !== undefined ? { maxBroadcasters: maxBroadcasters as number } : {}),
    ...(intLang !== undefined ? { intLang: intLang as string } : {}),
    ...(displayName ? { displayName: displayName as string } : {}),
  };
}

/** Between two fetches of the rooms key set: a replica that just started is heard within it. */
const GRANT_KEYS_COOLDOWN_MS = 1000;

/**
 * Verifies grants against the rooms replicas' key set (EdDSA) or auth's JWKS (RS256),
 * each cached and fetched again on a key id it does not know.
 */
export class RemoteJwksJoinGrantVerifier extends JoinGrantVerifier {
  readonly #platformKeys: ReturnType<typeof createRemoteJWKSet>;
  readonly #grantKeys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: RemoteJwksJoinGrantOptions) {
    super();
    this.#platformKeys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
    this.#grantKeys = createRemoteJWKSet(
      new URL(JOIN_GRANT_KEYS_PATH, options.roomsUrl.replace(/\/*$/, '/')),
      { cooldownDuration: GRANT_KEYS_COOLDOWN_MS, cacheMaxAge: 600_000 },
    );
  }

  /** The key for a grant's header: the rooms key set for EdDSA, auth's JWKS otherwise. */
  readonly #keyFor = async (header: JWTHeaderParameters) => {
    if (header.alg !== JOIN_GRANT_ALGORITHM) return this.#platformKeys(header);
    try {
      return await this.#grantKeys(header);
    } catch (error) {
      // A key id first seen within a second of the last fetch: a replica started
      // meanwhile. Wait out the cooldown and look once more rather than refuse the peer.
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.#grantKeys.coolingDown) throw error;
      await new Promise((resolve) => setTimeout(resolve, GRANT_KEYS_COOLDOWN_MS));
      return this.#grantKeys(header);
    }
  };

  async verify(token: string): Promise<JoinGrant> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keyFor, {
        algorithms: [JOIN_GRANT_ALGORITHM, 'RS256'],
        issuer: this.options.issuer,
        audience: JOIN_GRANT_AUDIENCE,
        requiredClaims: ['exp'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw MediaErrors.invalidGrant(undefined, { message: why(error), cause: error });
    }
    const grant = grantOf(payload);
    if (grant.mediaServer !== this.options.mediaServerId && grant.mediaServer !== this.options.nodeId) {
      throw MediaErrors.wrongMediaServer({
        mediaServer: grant.mediaServer,
        thisServer: this.options.mediaServerId,
      });
    }
    return grant;
  }
}
