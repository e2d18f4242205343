import { JWTPayload } from 'jose';
import { signHs256, withPayload } from '../integrator-tokens.fake';
import { createVerifierFixture, HOUR, NOW_S, SECRETS } from '../verifier-fixture.fake';

describe('Datagram alias tokens', () => {
  const { verifier } = createVerifierFixture();

  const claims: JWTPayload = {
    alias: 'al_live',
    user_id: 'user456xxyz',
    host: true,
    expires_in: HOUR,
    iat: NOW_S - 60,
  };
  const sign = (payload: JWTPayload, secret: string = SECRETS.al_live) => signHs256(payload, secret);

  it("admits a host to the alias's room", async () => {
    expect(
      await verifier.verify({ token: await sign(claims), roomId: 'room_alias', orgId: 'org_a' }),
    ).toEqual({
      valid: true,
      participant: {
        form: 'datagram',
        orgId: 'org_a',
        roomId: 'room_alias',
        identity: 'user456xxyz',
        role: 'host',
        attributes: { alias: 'al_live' },
        keyId: 'al_live',
        expiresAt: NOW_S - 60 + HOUR,
      },
    });
  });

  it('admits a non-host as participant; a token with neither exp nor expires_in lasts as long as the alias', async () => {
    expect(
      await verifier.verify({ token: await sign({ alias: 'al_live', user_id: 42, host: false }) }),
    ).toMatchObject({
      valid: true,
      participant: { role: 'participant', identity: '42', expiresAt: NOW_S + 24 * HOUR },
    });
  });

  it('honours a standard exp when it ends first', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, exp: NOW_S + 600 }) })).toMatchObject({
      valid: true,
      participant: { expiresAt: NOW_S + 600 },
    });
  });

  it('refuses a token whose expires_in has lapsed', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, iat: NOW_S - 2 * HOUR }) })).toMatchObject({
      valid: false,
      reason: 'expired',
      message: expect.stringContaining('expires_in'),
    });
  });

  it('refuses any token of an expired alias', async () => {
    const token = await sign({ ...claims, alias: 'al_gone' }, SECRETS.al_gone);
    expect(await verifier.verify({ token })).toMatchObject({
      valid: false,
      reason: 'expired',
      message: expect.stringContaining('Alias al_gone'),
    });
  });

  it('refuses a token for another room than the alias opens', async () => {
    expect(await verifier.verify({ token: await sign(claims), roomId: 'room_1' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
    });
  });

  it('refuses a missing user_id and a non-boolean host', async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, user_id: undefined }) })).toMatchObject({
      valid: false,
      reason: 'missing_claim',
      message: expect.stringContaining('user_id'),
    });
    expect(await verifier.verify({ token: await sign({ ...claims, host: 'yes' }) })).toMatchObject({
      valid: false,
      reason: 'malformed',
      message: expect.stringContaining('"host"'),
    });
  });

  describe("the seed's own example claims (expires_in, no iat)", () => {
    const seedClaims: JWTPayload = { alias: 'al_live', user_id: 'user456xxyz', host: true, expires_in: 3600 };

    it("is admitted until the alias's own expiry, expires_in having nothing to count from", async () => {
      expect(await verifier.verify({ token: await sign(seedClaims), roomId: 'room_alias' })).toMatchObject({
        valid: true,
        participant: { identity: 'user456xxyz', role: 'host', expiresAt: NOW_S + 24 * HOUR },
      });
    });

    it('is bounded by exp when it has one', async () => {
      expect(await verifier.verify({ token: await sign({ ...seedClaims, exp: NOW_S + 600 }) })).toMatchObject(
        {
          valid: true,
          participant: { expiresAt: NOW_S + 600 },
        },
      );
      expect(await verifier.verify({ token: await sign({ ...seedClaims, exp: NOW_S - 600 }) })).toMatchObject(
        {
          valid: false,
          reason: 'expired',
          message: expect.stringContaining('"exp"'),
        },
      );
    });

    it('is refused once the alias expired', async () => {
      const token = await sign({ ...seedClaims, alias: 'al_gone' }, SECRETS.al_gone);
      expect(await verifier.verify({ token })).toMatchObject({ valid: false, reason: 'expired' });
    });
  });

  it('refuses an alias claim that could not be an alias id, before any lookup', async () => {
    const { verifier: fresh, keys } = createVerifierFixture();
    for (const alias of ['al_live\u0000', 'a'.repeat(257), 'al\u007flive']) {
      expect(await fresh.verify({ token: await sign({ ...claims, alias }) })).toMatchObject({
        valid: false,
        reason: 'unknown_key',
        message: expect.stringMatching(/^Claim "alias" cannot name a key: it must/),
      });
    }
    expect(await fresh.verify({ token: await sign({ ...claims, alias: { id: 'al_live' } }) })).toMatchObject({
      valid: false,
      reason: 'malformed',
      message: expect.stringContaining('"alias"'),
    });
    expect(await fresh.verify({ token: await sign({ ...claims, user_id: 'u\u0000' }) })).toMatchObject({
      valid: false,
      reason: 'malformed',
      message: 'Claim "user_id" must not contain control characters',
    });
    expect(keys.lookups).toEqual(['aliasCredential:al_live']);
  });

  it("refuses an unknown alias, another alias's secret and a tampered payload", async () => {
    expect(await verifier.verify({ token: await sign({ ...claims, alias: 'al_nope' }) })).toMatchObject({
      valid: false,
      reason: 'unknown_key',
    });
    expect(await verifier.verify({ token: await sign(claims, SECRETS.ak_a1) })).toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
    const tampered = withPayload(await sign({ ...claims, host: false }), claims);
    expect(await verifier.verify({ token: tampered })).toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a token for an alias of organisation A presented for organisation B', async () => {
    expect(await verifier.verify({ token: await sign(claims), orgId: 'org_b' })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
  });
});
