import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { ParticipantRole } from '@confer/contracts';
import { HttpErrors } from '@confer/http';
import { AUTH_CONFIG, AuthConfig, issuerOf } from '../../config/auth.config';
import { newId } from '../../crypto/identifiers';
import { SigningKeys } from '../../signing-keys/signing-keys.service';
import { Clock } from '../clock';
import {
  CONFER_PARTICIPANT_AUDIENCE,
  DEFAULT_PARTICIPANT_TOKEN_TTL_SECONDS,
  MIN_PARTICIPANT_TOKEN_TTL_SECONDS,
} from '../participant-token.constants';

export interface ParticipantTokenOrder {
  identity: string;
  roomId: string;
  role?: ParticipantRole;
  displayName?: string;
  ttlSeconds?: number;
  attributes?: Record<string, unknown>;
}

export interface MintedParticipantToken {
  identity: string;
  token: string;
  tokenId: string;
  /** epoch seconds */
  expiresAt: number;
}

/**
 * Mints Confer's own participant tokens with the platform's active RS256 key. The
 * verifier's Confer form accepts exactly what this writes.
 */
@Injectable()
export class ParticipantTokenMinter {
  constructor(
    @Inject(SigningKeys) private readonly signingKeys: Pick<SigningKeys, 'currentSigningKey'>,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async mint(orgId: string, order: ParticipantTokenOrder): Promise<MintedParticipantToken> {
    const ttl =
      order.ttlSeconds ??
      Math.min(DEFAULT_PARTICIPANT_TOKEN_TTL_SECONDS, this.config.PARTICIPANT_TOKEN_MAX_TTL_SECONDS);
    const maxTtl = this.config.PARTICIPANT_TOKEN_MAX_TTL_SECONDS;
    // The DTO cannot know the configured maximum, so the bound is enforced here.
    if (!Number.isInteger(ttl) || ttl < MIN_PARTICIPANT_TOKEN_TTL_SECONDS || ttl > maxTtl) {
      const problem = `ttlSeconds must be an integer from ${MIN_PARTICIPANT_TOKEN_TTL_SECONDS} to ${maxTtl}`;
      throw HttpErrors.invalidRequest([{ field: 'ttlSeconds', problems: [problem] }], { message: problem });
    }
    const { kid, privateKey } = await this.signingKeys.currentSigningKey();
    const now = this.clock.nowSeconds();
    const tokenId = newId('pt');
    const claims: Record<string, unknown> = {
      org_id: orgId,
      room: order.roomId,
      role: order.role ?? 'participant',
      ...(order.displayName !== undefined ? { name: order.displayName } : {}),
      ...(order.attributes !== undefined && Object.keys(order.attributes).length
        ? { attrs: order.attributes }
        : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuerOf(this.config))
      .setAudience(CONFER_PARTICIPANT_AUDIENCE)
      .setSubject(order.identity)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .sign(privateKey);
    return { identity: order.identity, token, tokenId, expiresAt: now + ttl };
  }
}
