import { JWTPayload } from 'jose';
import { ISSUER, signRs256, withPayload } from '../integrator-tokens.fake';
import { CONFER_PARTICIPANT_AUDIENCE } from '../participant-token.constants';
import { createVerifierFixture, HOUR, NOW_S, rsaPair } from '../verifier-fixture.fake';

describe('Confer participant tokens', () => {
  const { verifier, platformKey } = createVerifierFixture();

  const claims: JWTPayload = {
    iss: ISSUER,
    aud: CONFER_PARTICIPANT_AUDIENCE,
    sub: 'alice',
    org_id: 'org_a',
    room: 'room_1',
    role: 'moderator',
    name: 'Alice',
    attrs: { team: 'blue' },
    jti: 'pt_1',
    iat: NOW_S,
    nbf: NOW_S,
    exp: NOW_S + HOUR,
  };
  const sign = (payload: JWTPayload, kid = 'kid_p1', key = platformKey.privateKey) =>
    signRs256(payload, key, { kid });

  it('admits the participant it was minted for', async () => {
    expect(await verifier.verify({ token: await sign(claims), roomId: 'room_1', orgId: 'org_a' })).toEqual({
      valid: true,
      participant: {
        form: 'confer',
        orgId: 'org_a',
        roomId: 'room_1',
        identity: 'alice',
        displayName: 'Alice',
        role: 'moderator',
        attributes: { team: 'blue' },
        keyId: 'kid_p1',
        tokenId: 'pt_1',
        notBefore: NOW_S,
        expiresAt: NOW_S + HOUR,
      },
    });
  });

  it('refuses another room and another organisation', async () => {
    expect(await verifier.verify({ token: await sign(claims), roomId: 'room_2' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
    });
    expect(await verifier.verify({ token: await sign(claims), orgId: 'org_b' })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
  });

  it('refuses a token for another audience (e.g. an API access token)', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, aud: `${ISSUER}/v1/` }) })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
      message: expect.stringContaining('"aud"'),
    });
  });

  it('refuses a token that lives longer than the configured maximum', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, exp: NOW_S + 25 * HOUR }) })).toMatchObject(
      { valid: false, reason: 'lifetime_too_long' },
    );
  });

  it('refuses an unknown kid, a missing kid, a foreign key and a tampered payload', async () => {
    expect(await verifier.verify({ token: await sign(claims, 'kid_nope') })).toMatchObject({
      valid: false,
      reason: 'unknown_key',
    });
    expect(await verifier.verify({ token: await signRs256(claims, platformKey.privateKey) })).toMatchObject({
      valid: false,
      reason: 'unknown_key',
    });
    expect(
      await verifier.verify({ token: await sign(claims, 'kid_p1', rsaPair().privateKey) }),
    ).toMatchObject({ valid: false, reason: 'bad_signature' });
    expect(
      await verifier.verify({ token: withPayload(await sign(claims), { ...claims, org_id: 'org_b' }) }),
    ).toMatchObject({ valid: false, reason: 'bad_signature' });
  });

  it('refuses expired, not-yet-valid and incomplete tokens', async () => {
    expect(
      await verifier.verify({
        token: await sign({ ...claims, iat: NOW_S - 2 * HOUR, nbf: NOW_S - 2 * HOUR, exp: NOW_S - HOUR }),
      }),
    ).toMatchObject({ valid: false, reason: 'expired' });
    expect(
      await verifier.verify({ token: await sign({ ...claims, nbf: NOW_S + 60, exp: NOW_S + HOUR }) }),
    ).toMatchObject({ valid: false, reason: 'not_yet_valid' });
    expect(await verifier.verify({ token: await sign({ ...claims, room: undefined }) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
      message: expect.stringContaining('"room"'),
    });
    expect(await verifier.verify({ token: await sign({ ...claims, exp: undefined }) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
    });
    expect(await verifier.verify({ token: await sign({ ...claims, role: 'emperor' }) })).toMatchObject({
      valid: false,
      reason: 'malformed',
    });
  });
});
