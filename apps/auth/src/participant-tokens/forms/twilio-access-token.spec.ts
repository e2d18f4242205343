import { JWTPayload } from 'jose';
import { signHs256, withPayload } from '../integrator-tokens.fake';
import { TWILIO_CONTENT_TYPE } from '../participant-token.constants';
import { createVerifierFixture, HOUR, NOW_S, SECRETS } from '../verifier-fixture.fake';

describe('Twilio access tokens', () => {
  const { verifier } = createVerifierFixture();

  const claims: JWTPayload = {
    jti: 'ak_a1-1748779200',
    iss: 'ak_a1',
    sub: 'org_a',
    nbf: NOW_S,
    exp: NOW_S + HOUR,
    grants: { identity: 'alice', video: { room: 'room_1' } },
  };
  const sign = (payload: JWTPayload, secret: string = SECRETS.ak_a1) =>
    signHs256(payload, secret, { cty: TWILIO_CONTENT_TYPE });

  it("admits the granted identity to the granted room, in the API key's organisation", async () => {
    expect(await verifier.verify({ token: await sign(claims), roomId: 'room_1', orgId: 'org_a' })).toEqual({
      valid: true,
      participant: {
        form: 'twilio',
        orgId: 'org_a',
        roomId: 'room_1',
        identity: 'alice',
        role: 'participant',
        attributes: {},
        keyId: 'ak_a1',
        tokenId: 'ak_a1-1748779200',
        notBefore: NOW_S,
        expiresAt: NOW_S + HOUR,
      },
    });
  });

  it('treats an empty or absent room grant as any room, and keeps other grants as attributes', async () => {
    const anyRoom = await sign({
      ...claims,
      sub: undefined,
      grants: { identity: 'alice', video: { room: '' }, chat: { service_sid: 'IS1' } },
    });
    expect(await verifier.verify({ token: anyRoom, roomId: 'room_9' })).toMatchObject({
      valid: true,
      participant: { roomId: null, orgId: 'org_a', attributes: { grants: { chat: { service_sid: 'IS1' } } } },
    });
    expect(
      await verifier.verify({
        token: await sign({ ...claims, grants: { identity: 'alice' } }),
        roomId: 'room_9',
      }),
    ).toMatchObject({ valid: true });
  });

  it('refuses a token for another room', async () => {
    expect(await verifier.verify({ token: await sign(claims), roomId: 'room_2' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
    });
  });

  it('refuses a token that lives longer than 24 hours', async () => {
    const reply = await verifier.verify({ token: await sign({ ...claims, exp: NOW_S + 25 * HOUR }) });
    expect(reply).toMatchObject({
      valid: false,
      reason: 'lifetime_too_long',
      message: expect.stringContaining('24 h'),
    });
    const fromIat = await sign({ ...claims, nbf: undefined, iat: NOW_S - HOUR, exp: NOW_S + 24 * HOUR });
    expect(await verifier.verify({ token: fromIat })).toMatchObject({
      valid: false,
      reason: 'lifetime_too_long',
    });
    expect(await verifier.verify({ token: await sign({ ...claims, exp: NOW_S + 24 * HOUR }) })).toMatchObject(
      { valid: true },
    );
  });

  it('refuses a token without identity grant or without exp', async () => {
    expect(
      await verifier.verify({ token: await sign({ ...claims, grants: { video: { room: 'room_1' } } }) }),
    ).toMatchObject({
      valid: false,
      reason: 'missing_claim',
      message: expect.stringContaining('grants.identity'),
    });
    expect(await verifier.verify({ token: await sign({ ...claims, grants: undefined }) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
    });
    expect(await verifier.verify({ token: await sign({ ...claims, exp: undefined }) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
      message: expect.stringContaining('"exp"'),
    });
  });

  it("refuses a token whose account (sub) is not the API key's organisation", async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, sub: 'org_b' }) })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
      message: expect.stringContaining('org_b'),
    });
  });

  it('refuses an unknown issuer, a revoked key, a wrong secret and a tampered grant', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, iss: 'SKunknown' }) })).toMatchObject({
      valid: false,
      reason: 'unknown_key',
    });
    expect(
      await verifier.verify({ token: await sign({ ...claims, iss: 'ak_a_old' }, SECRETS.ak_a_old) }),
    ).toMatchObject({ valid: false, reason: 'key_revoked' });
    expect(await verifier.verify({ token: await sign(claims, SECRETS.ak_a2) })).toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
    const tampered = withPayload(await sign(claims), {
      ...claims,
      grants: { identity: 'mallory', video: { room: 'room_1' } },
    });
    expect(await verifier.verify({ token: tampered })).toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    expect(
      await verifier.verify({ token: await sign({ ...claims, nbf: NOW_S - 2 * HOUR, exp: NOW_S - HOUR }) }),
    ).toMatchObject({ valid: false, reason: 'expired' });
    expect(
      await verifier.verify({ token: await sign({ ...claims, nbf: NOW_S + HOUR, exp: NOW_S + 2 * HOUR }) }),
    ).toMatchObject({ valid: false, reason: 'not_yet_valid' });
  });

  it("refuses org A's token presented for organisation B", async () => {
    expect(await verifier.verify({ token: await sign(claims), orgId: 'org_b' })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
  });
});
