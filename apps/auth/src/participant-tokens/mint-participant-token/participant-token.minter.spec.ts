import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AppError } from '@confer/http';
import { FixedClock } from '../clock';
import { authConfigForTests, ISSUER } from '../integrator-tokens.fake';
import { ParticipantTokenVerifier } from '../participant-token.verifier';
import { FakeParticipantTokenKeys } from '../ports/participant-token-keys.fake';
import { NOW, NOW_S, rsaPair } from '../verifier-fixture.fake';
import { ParticipantTokenMinter } from './participant-token.minter';

describe('ParticipantTokenMinter', () => {
  const platform = rsaPair();
  const clock = new FixedClock(NOW);
  const config = authConfigForTests({ PARTICIPANT_TOKEN_MAX_TTL_SECONDS: 7200 });
  const signingKeys = {
    currentSigningKey: async () => ({ kid: 'sk_active', privateKey: platform.privateKey }),
  };
  const minter = new ParticipantTokenMinter(signingKeys, config, clock);
  const verifier = new ParticipantTokenVerifier(
    new FakeParticipantTokenKeys().addPlatformKey({ kid: 'sk_active', publicKey: platform.publicKey }),
    clock,
    config,
  );

  it('writes the documented claims, signed RS256 with the active key named by kid', async () => {
    const minted = await minter.mint('org_a', {
      identity: 'user-42',
      roomId: 'weekly',
      role: 'moderator',
      displayName: 'Ada',
      ttlSeconds: 600,
      attributes: { canRecord: true },
    });
    expect(minted).toMatchObject({
      identity: 'user-42',
      expiresAt: NOW_S + 600,
      tokenId: expect.stringMatching(/^pt_/),
    });
    expect(decodeProtectedHeader(minted.token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'sk_active' });
    expect(decodeJwt(minted.token)).toEqual({
      iss: ISSUER,
      aud: 'confer:participant',
      sub: 'user-42',
      org_id: 'org_a',
      room: 'weekly',
      role: 'moderator',
      name: 'Ada',
      attrs: { canRecord: true },
      jti: minted.tokenId,
      iat: NOW_S,
      nbf: NOW_S,
      exp: NOW_S + 600,
    });
  });

  it('mints what the verifier accepts, as a participant for an hour by default', async () => {
    const { token, tokenId } = await minter.mint('org_a', { identity: 'user-42', roomId: 'weekly' });
    expect(await verifier.verify({ token, roomId: 'weekly', orgId: 'org_a' })).toEqual({
      valid: true,
      participant: {
        form: 'confer',
        orgId: 'org_a',
        roomId: 'weekly',
        identity: 'user-42',
        role: 'participant',
        attributes: {},
        keyId: 'sk_active',
        tokenId,
        notBefore: NOW_S,
        expiresAt: NOW_S + 3600,
      },
    });
  });

  it.each([59, 7201, 90.5])(
    'refuses a lifetime of %s s (outside 60..the configured maximum)',
    async (ttlSeconds) => {
      const attempt = minter.mint('org_a', { identity: 'u', roomId: 'r', ttlSeconds });
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({
        status: 400,
        code: 'invalid_request',
        message: expect.stringContaining('7200'),
      });
    },
  );

  it('never mints a default lifetime beyond a configured maximum below an hour', async () => {
    const short = new ParticipantTokenMinter(
      signingKeys,
      authConfigForTests({ PARTICIPANT_TOKEN_MAX_TTL_SECONDS: 900 }),
      clock,
    );
    expect((await short.mint('org_a', { identity: 'u', roomId: 'r' })).expiresAt).toBe(NOW_S + 900);
  });
});
