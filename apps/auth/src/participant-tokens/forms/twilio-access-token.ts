import { VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import {
  epochSeconds,
  keyIdentifier,
  optionalObject,
  optionalString,
  optionalStringIdentifier,
  requiredIdentifier,
  requiredString,
} from '../claims';
import { verifyWithKey } from '../jws-verification';
import { TWILIO_CONTENT_TYPE, TWILIO_MAX_LIFETIME_SECONDS } from '../participant-token.constants';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { refuse } from '../token-refusal';
import { UntrustedToken } from '../untrusted-token';
import { ParticipantTokenForm } from './participant-token-form';

/**
 * Twilio-style access tokens: header `cty: twilio-fpa;v=1`, HS256 with an API key secret,
 * `iss` = the API key, `sub` = the account (our organisation), identity and video room
 * in `grants`, at most 24 hours between `nbf` (or `iat`) and `exp`.
 */
export class TwilioAccessTokenForm implements ParticipantTokenForm {
  readonly form = 'twilio' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
  ) {}

  static recognises(token: UntrustedToken): boolean {
    return token.header.cty === TWILIO_CONTENT_TYPE;
  }

  async verify(token: UntrustedToken): Promise<VerifiedParticipant> {
    const apiKeyId = keyIdentifier(
      requiredString(token.payload, 'iss', 'an access token names the API key that signed it'),
      'Claim "iss"',
    );
    const key = await this.keys.apiKey(apiKeyId);
    if (!key) refuse('unknown_key', `No API key "${apiKeyId}" (claim "iss")`);
    const { claims } = await verifyWithKey(token, key, { clock: this.clock });

    const account = optionalString(claims, 'sub');
    if (account !== undefined && account !== key.orgId) {
      refuse(
        'wrong_audience',
        `Claim "sub" names account "${account}", but API key ${key.id} belongs to organisation ${key.orgId}`,
      );
    }

    if (claims.exp === undefined)
      refuse('missing_claim', 'Claim "exp" is required: access tokens live at most 24 hours');
    const start = claims.nbf ?? claims.iat ?? this.clock.nowSeconds();
    if (claims.exp - start > TWILIO_MAX_LIFETIME_SECONDS) {
      refuse(
        'lifetime_too_long',
        `The token lives ${claims.exp - start} s from "${claims.nbf !== undefined ? 'nbf' : claims.iat !== undefined ? 'iat' : 'now'}" to "exp"; at most ${TWILIO_MAX_LIFETIME_SECONDS} s (24 h) are allowed`,
      );
    }

    const grants = optionalObject(claims, 'grants');
    if (!grants) refuse('missing_claim', 'Claim "grants" is required: it carries the identity');
    const identity = requiredIdentifier(
      grants,
      'identity',
      'the participant the token is for',
      'grants.identity',
    );
    const video = optionalObject(grants, 'video', 'grants.video');
    // An empty room grant means "any room", as with Twilio.
    const room = video ? optionalStringIdentifier(video, 'room', 'grants.video.room') : undefined;
    const { identity: _identity, video: _video, ...otherGrants } = grants;

    return {
      form: this.form,
      orgId: key.orgId,
      roomId: room ?? null,
      identity,
      role: 'participant',
      attributes: Object.keys(otherGrants).length ? { grants: otherGrants } : {},
      keyId: key.id,
      tokenId: optionalString(claims, 'jti'),
      notBefore: epochSeconds(claims.nbf),
      expiresAt: epochSeconds(claims.exp),
    };
  }
}
