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

    it('uses sub when there is no peerId, and refuses a token with neither', async () => {
      expect(await verifyClaims({ roomId: 'r1', sub: 'user-7' })).toMatchObject({
        valid: true,
        participant: { identity: 'user-7' },
      });
      expect(await verifyClaims({ roomId: 'r1', role: 'moderator' })).toMatchObject({
        valid: false,
        reason: 'missing_claim',
        message: expect.stringContaining('peerId'),
      });
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
});
