import { JWTPayload } from 'jose';
import { signHs256, signRs256, withPayload } from '../integrator-tokens.fake';
import { createVerifierFixture, HOUR, NOW_S, SECRETS } from '../verifier-fixture.fake';

describe('Gcore room tokens', () => {
  const { verifier, orgAKey, orgAOldKey, orgBKey } = createVerifierFixture();

  const claims: JWTPayload = {
    roomId: 'serv0_test1',
    role: 'moderator',
    peerId: 'peer-802380f4',
    displayName: 'John Snow',
    canRecord: true,
    waitingRoom: true,
    startTime: '2025-06-01T12:00:00.0Z',
    iat: NOW_S - 10,
  };

  describe('RS256 with a registered public key', () => {
    it('admits a moderator with the room attributes', async () => {
      const token = await signRs256(claims, orgAKey.privateKey, { kid: 'opk_a1' });
      expect(await verifier.verify({ token, roomId: 'serv0_test1', orgId: 'org_a' })).toEqual({
        valid: true,
        participant: {
          form: 'gcore',
          orgId: 'org_a',
          roomId: 'serv0_test1',
          identity: 'peer-802380f4',
          displayName: 'John Snow',
          role: 'moderator',
          attributes: { canRecord: true, waitingRoom: true, startTime: '2025-06-01T12:00:00.0Z' },
          keyId: 'opk_a1',
        },
      });
    });

    it("finds the key among the organisation's public keys when the token names none", async () => {
      const token = await signRs256(claims, orgAKey.privateKey);
      expect(await verifier.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: true,
        participant: { keyId: 'opk_a1' },
      });
      expect(await verifier.verify({ token, orgId: 'org_b' })).toMatchObject({
        valid: false,
        reason: 'bad_signature',
        message: expect.stringContaining('opk_b1'),
      });
      expect(await verifier.verify({ token })).toMatchObject({ valid: false, reason: 'unknown_key' });
    });

    it('refuses a revoked public key, an unknown kid and a key of another organisation', async () => {
      expect(
        await verifier.verify({
          token: await signRs256(claims, orgAOldKey.privateKey, { kid: 'opk_a_old' }),
        }),
      ).toMatchObject({ valid: false, reason: 'key_revoked', message: expect.stringContaining('opk_a_old') });
      expect(
        await verifier.verify({ token: await signRs256(claims, orgAKey.privateKey, { kid: 'opk_zzz' }) }),
      ).toMatchObject({ valid: false, reason: 'unknown_key', message: expect.stringContaining('opk_zzz') });
      expect(
        await verifier.verify({ token: await signRs256(claims, orgBKey.privateKey, { kid: 'opk_a1' }) }),
      ).toMatchObject({ valid: false, reason: 'bad_signature' });
    });

    it("refuses org A's token presented for organisation B, even with a valid signature", async () => {
      const token = await signRs256(claims, orgAKey.privateKey, { kid: 'opk_a1' });
      expect(await verifier.verify({ token, orgId: 'org_b' })).toMatchObject({
        valid: false,
        reason: 'wrong_audience',
        message: expect.stringContaining('org_b'),
      });
    });
  });

  describe('HS256 with an API key secret', () => {
    it("takes the key from kid, from iss, or from the organisation's live keys", async () => {
      expect(
        await verifier.verify({ token: await signHs256(claims, SECRETS.ak_a2, { kid: 'ak_a2' }) }),
      ).toMatchObject({ valid: true, participant: { keyId: 'ak_a2', orgId: 'org_a' } });
      expect(
        await verifier.verify({ token: await signHs256({ ...claims, iss: 'ak_a1' }, SECRETS.ak_a1) }),
      ).toMatchObject({ valid: true, participant: { keyId: 'ak_a1' } });
      expect(
        await verifier.verify({ token: await signHs256(claims, SECRETS.ak_a2), orgId: 'org_a' }),
      ).toMatchObject({ valid: true, participant: { keyId: 'ak_a2' } });
    });

    it('does not try revoked keys when searching an organisation', async () => {
      expect(
        await verifier.verify({ token: await signHs256(claims, SECRETS.ak_a_old), orgId: 'org_a' }),
      ).toMatchObject({ valid: false, reason: 'bad_signature' });
    });

    it('refuses a tampered payload', async () => {
      const token = withPayload(await signHs256(claims, SECRETS.ak_a1, { kid: 'ak_a1' }), {
        ...claims,
        roomId: 'other',
      });
      expect(await verifier.verify({ token })).toMatchObject({ valid: false, reason: 'bad_signature' });
    });

    it('reports expiry once the signature matched, even when searching an organisation', async () => {
      const token = await signHs256({ ...claims, exp: NOW_S - HOUR }, SECRETS.ak_a2);
      expect(await verifier.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: false,
        reason: 'expired',
      });
      expect(
        await verifier.verify({
          token: await signHs256({ ...claims, nbf: NOW_S + HOUR }, SECRETS.ak_a1, { kid: 'ak_a1' }),
        }),
      ).toMatchObject({ valid: false, reason: 'not_yet_valid' });
    });
  });

  describe('roles and identity', () => {
    const verifyClaims = async (payload: JWTPayload) =>
      verifier.verify({ token: await signHs256(payload, SECRETS.ak_a1, { kid: 'ak_a1' }) });

    it.each([
      [{ role: 'interpreter' }, 'interpreter'],
      [{ role: 'participant' }, 'participant'],
      [{}, 'participant'],
      [{ itisparticipant: true }, 'speaker'],
      [{ itisparticipant: false }, 'viewer'],
      [{ role: 'participant', itisparticipant: false }, 'viewer'],
      [{ role: 'moderator', itisparticipant: false }, 'moderator'],
    ])('%j gives role %s', async (roleClaims, role) => {
      expect(await verifyClaims({ roomId: 'r1', peerId: 'p1', ...roleClaims })).toMatchObject({
        valid: true,
        participant: { role },
      });
    });

    it('refuses an unknown role', async () => {
      expect(await verifyClaims({ roomId: 'r1', peerId: 'p1', role: 'admin' })).toMatchObject({
        valid: false,
        reason: 'malformed',
        message: expect.stringContaining('"admin"'),
      });
      expect(await verifyClaims({ roomId: 'r1', peerId: 'p1', role: 'constructor' })).toMatchObject({
        valid: false,
        reason: 'malformed',
      });
    });

    it('uses sub when there is no peerId', async () => {
      expect(await verifyClaims({ roomId: 'r1', sub: 'user-7' })).toMatchObject({
        valid: true,
        participant: { identity: 'user-7' },
      });
    });

    it("takes the joiner's peerId URL attribute when the token names no participant, and the token's own over it", async () => {
      const sign = (payload: JWTPayload) => signHs256(payload, SECRETS.ak_a1, { kid: 'ak_a1' });
      expect(
        await verifier.verify({ token: await sign({ roomId: 'r1' }), peerId: 'from-url' }),
      ).toMatchObject({ valid: true, participant: { identity: 'from-url' } });
      expect(
        await verifier.verify({
          token: await sign({ roomId: 'r1', peerId: 'from-jwt' }),
          peerId: 'from-url',
        }),
      ).toMatchObject({ valid: true, participant: { identity: 'from-jwt' } });
      expect(
        await verifier.verify({ token: await sign({ roomId: 'r1', sub: 'sub-7' }), peerId: 'from-url' }),
      ).toMatchObject({ valid: true, participant: { identity: 'sub-7' } });
    });

    it('refuses a peerId or roomId claim that could not be an id', async () => {
      for (const bad of [
        { peerId: 'p\u0000' },
        { peerId: 'x'.repeat(257) },
        { roomId: 'r\n1', peerId: 'p' },
      ]) {
        expect(await verifyClaims(bad)).toMatchObject({
          valid: false,
          reason: 'malformed',
          message: expect.stringMatching(/^Claim "(peerId|roomId)" must/),
        });
      }
    });

    it('admits to any room when the token names none, and refuses another room when it does', async () => {
      expect(
        await verifier.verify({
          token: await signHs256({ peerId: 'p1' }, SECRETS.ak_a1, { kid: 'ak_a1' }),
          roomId: 'r9',
        }),
      ).toMatchObject({ valid: true, participant: { roomId: null } });
      expect(
        await verifier.verify({
          token: await signHs256({ peerId: 'p1', roomId: 'r1' }, SECRETS.ak_a1, { kid: 'ak_a1' }),
          roomId: 'r9',
        }),
      ).toMatchObject({ valid: false, reason: 'wrong_room' });
    });
  });

  describe("the seed's own example", () => {
    // Straight from the Security section: no kid, no iss, no peerId, no sub.
    const seedClaims: JWTPayload = {
      roomId: 'abcd1234',
      role: 'moderator',
      startTime: '2022-06-21T00:00:00.0Z',
      iat: 1516239022,
    };

    it('is admitted without an identity, which the rooms service then makes up', async () => {
      const token = await signRs256(seedClaims, orgAKey.privateKey);
      const reply = await verifier.verify({ token, roomId: 'abcd1234', orgId: 'org_a' });
      expect(reply).toEqual({
        valid: true,
        participant: {
          form: 'gcore',
          orgId: 'org_a',
          roomId: 'abcd1234',
          role: 'moderator',
          attributes: { startTime: '2022-06-21T00:00:00.0Z' },
          keyId: 'opk_a1',
        },
      });
    });

    it("is admitted as the joiner's peerId when the request carries one", async () => {
      const token = await signHs256(seedClaims, SECRETS.ak_a1);
      expect(
        await verifier.verify({ token, roomId: 'abcd1234', orgId: 'org_a', peerId: '802380f4' }),
      ).toMatchObject({ valid: true, participant: { identity: '802380f4', keyId: 'ak_a1' } });
    });
  });

  describe('tokens that name no key but carry their own iss', () => {
    const ownIssuer: JWTPayload = { ...claims, iss: 'my-app' };

    it("checks an RS256 one against the organisation's public keys, never looking iss up as an API key", async () => {
      const { verifier: fresh, keys, orgAKey: key } = createVerifierFixture();
      const token = await signRs256(ownIssuer, key.privateKey);
      expect(await fresh.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: true,
        participant: { keyId: 'opk_a1', orgId: 'org_a' },
      });
      expect(keys.lookups).toEqual(['organisationPublicKeys:org_a']);
      expect(await fresh.verify({ token })).toMatchObject({
        valid: false,
        reason: 'unknown_key',
        message: expect.stringContaining('orgId'),
      });
    });

    it("checks an HS256 one against the organisation's API keys when iss names none", async () => {
      const { verifier: fresh, keys } = createVerifierFixture();
      const token = await signHs256(ownIssuer, SECRETS.ak_a2);
      expect(await fresh.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: true,
        participant: { keyId: 'ak_a2' },
      });
      expect(keys.lookups).toEqual(['apiKey:my-app', 'apiKeysOfOrganisation:org_a']);
      expect(await fresh.verify({ token })).toMatchObject({
        valid: false,
        reason: 'unknown_key',
        message: expect.stringContaining('claim "iss" names no API key'),
      });
    });

    it('still takes the API key an HS256 iss names, and holds it to the organisation asked for', async () => {
      const token = await signHs256({ ...claims, iss: 'ak_b1' }, SECRETS.ak_b1);
      expect(await verifier.verify({ token })).toMatchObject({
        valid: true,
        participant: { keyId: 'ak_b1', orgId: 'org_b' },
      });
      expect(await verifier.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: false,
        reason: 'wrong_audience',
      });
    });
  });

  describe('key ids in the header', () => {
    it('refuses a kid that is not a string, without looking "[object Object]" up', async () => {
      const { verifier: fresh, keys } = createVerifierFixture();
      for (const kid of [{ id: 'opk_a1' }, ['opk_a1'], 42, true]) {
        expect(
          await fresh.verify({ token: await signRs256(claims, orgAKey.privateKey, { kid }), orgId: 'org_a' }),
        ).toMatchObject({
          valid: false,
          reason: 'malformed',
          message: 'Header "kid" must be a string naming a key',
        });
      }
      expect(keys.lookups).toEqual([]);
    });

    it.each([
      ['a NUL byte', 'opk_a1\u0000'],
      ['a line feed', 'opk_\na1'],
      ['an empty string', ''],
      ['300 characters', 'k'.repeat(300)],
    ])('answers unknown_key for a kid with %s, before any lookup', async (_what, kid) => {
      const { verifier: fresh, keys } = createVerifierFixture();
      expect(
        await fresh.verify({ token: await signHs256(claims, SECRETS.ak_a1, { kid }), orgId: 'org_a' }),
      ).toMatchObject({
        valid: false,
        reason: 'unknown_key',
        message: expect.stringMatching(/^Header "kid" cannot name a key: it must/),
      });
      expect(keys.lookups).toEqual([]);
    });
  });
});
