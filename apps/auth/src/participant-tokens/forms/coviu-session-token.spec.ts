import { JWTPayload } from 'jose';
import { signHs256, withPayload } from '../integrator-tokens.fake';
import { createVerifierFixture, HOUR, NOW_S, SECRETS } from '../verifier-fixture.fake';

describe('Coviu session tokens', () => {
  const { verifier } = createVerifierFixture();

  const ownerClaims: JWTPayload = {
    iss: 'ak_a1',
    un: 'Dr. Jane Who',
    ref: 'sub-2291eb24',
    sid: 'room_1',
    img: 'https://example.test/jane.png',
    email: 'jane@example.test',
    rle: 'owner',
    rtn: 'https://example.test/after',
    nbf: NOW_S - 60,
    exp: NOW_S + HOUR,
  };
  const guestClaims: JWTPayload = {
    iss: 'ak_a1',
    un: 'Joe Guest',
    ref: 'sub-2291eb24',
    sid: 'room_1',
    rle: 'guest',
  };
  const sign = (claims: JWTPayload, secret: string = SECRETS.ak_a1) => signHs256(claims, secret);

  it('admits the owner as themselves (ref) with their details as attributes', async () => {
    const reply = await verifier.verify({ token: await sign(ownerClaims), roomId: 'room_1', orgId: 'org_a' });
    expect(reply).toEqual({
      valid: true,
      participant: {
        form: 'coviu',
        orgId: 'org_a',
        roomId: 'room_1',
        identity: 'sub-2291eb24',
        displayName: 'Dr. Jane Who',
        role: 'owner',
        attributes: {
          ref: 'sub-2291eb24',
          email: 'jane@example.test',
          img: 'https://example.test/jane.png',
          rtn: 'https://example.test/after',
        },
        keyId: 'ak_a1',
        notBefore: NOW_S - 60,
        expiresAt: NOW_S + HOUR,
      },
    });
  });

  it('admits a guest by user name; nbf and exp are optional', async () => {
    const reply = await verifier.verify({ token: await sign(guestClaims) });
    expect(reply).toMatchObject({
      valid: true,
      participant: {
        role: 'guest',
        identity: 'Joe Guest',
        roomId: 'room_1',
        attributes: { ref: 'sub-2291eb24' },
      },
    });
  });

  it.each([
    ['un', 'missing_claim', /"un"/],
    ['sid', 'missing_claim', /"sid"/],
    ['rle', 'missing_claim', /"rle"/],
  ])('refuses a token without %s', async (claim, reason, message) => {
    const { [claim]: _dropped, ...claims } = ownerClaims;
    expect(await verifier.verify({ token: await sign(claims) })).toEqual({
      valid: false,
      reason,
      message: expect.stringMatching(message),
    });
  });

  it('refuses an owner link without ref, and a role other than owner or guest', async () => {
    const { ref: _ref, ...noRef } = ownerClaims;
    expect(await verifier.verify({ token: await sign(noRef) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
      message: expect.stringContaining('"ref"'),
    });
    expect(await verifier.verify({ token: await sign({ ...ownerClaims, rle: 'admin' }) })).toMatchObject({
      valid: false,
      reason: 'malformed',
    });
  });

  it('refuses a token for another session when the room is given', async () => {
    expect(await verifier.verify({ token: await sign(ownerClaims), roomId: 'room_2' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
      message: expect.stringContaining('room_1'),
    });
  });

  it('refuses an unknown or revoked API key, and a token signed with another secret', async () => {
    expect(await verifier.verify({ token: await sign({ ...ownerClaims, iss: 'ak_nope' }) })).toMatchObject({
      valid: false,
      reason: 'unknown_key',
      message: expect.stringContaining('ak_nope'),
    });
    expect(
      await verifier.verify({ token: await sign({ ...ownerClaims, iss: 'ak_a_old' }, SECRETS.ak_a_old) }),
    ).toMatchObject({ valid: false, reason: 'key_revoked' });
    expect(await verifier.verify({ token: await sign(ownerClaims, SECRETS.ak_b1) })).toMatchObject({
      valid: false,
      reason: 'bad_signature',
      message: expect.stringContaining('ak_a1'),
    });
  });

  it('refuses a tampered payload', async () => {
    const token = withPayload(await sign(guestClaims), { ...guestClaims, rle: 'owner', ref: 'someone-else' });
    expect(await verifier.verify({ token })).toMatchObject({ valid: false, reason: 'bad_signature' });
  });

  it('refuses expired and not-yet-valid links', async () => {
    expect(await verifier.verify({ token: await sign({ ...ownerClaims, exp: NOW_S - 60 }) })).toMatchObject({
      valid: false,
      reason: 'expired',
    });
    expect(await verifier.verify({ token: await sign({ ...ownerClaims, nbf: NOW_S + 600 }) })).toMatchObject({
      valid: false,
      reason: 'not_yet_valid',
    });
  });

  it('tolerates a few seconds of clock drift', async () => {
    expect(
      await verifier.verify({ token: await sign({ ...ownerClaims, exp: NOW_S - 3, nbf: NOW_S - 100 }) }),
    ).toMatchObject({ valid: true });
    expect(await verifier.verify({ token: await sign({ ...ownerClaims, nbf: NOW_S + 3 }) })).toMatchObject({
      valid: true,
    });
  });

  it("refuses org A's link presented for organisation B", async () => {
    expect(await verifier.verify({ token: await sign(ownerClaims), orgId: 'org_b' })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
      message: expect.stringContaining('org_a'),
    });
  });
});
