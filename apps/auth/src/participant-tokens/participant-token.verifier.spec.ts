import { JWTPayload, SignJWT } from 'jose';
import { FixedClock } from './clock';
import {
  authConfigForTests,
  hmacWithPublicKeyBytes,
  ISSUER,
  signHs256,
  signRs256,
  unsignedToken,
} from './integrator-tokens.fake';
import { CONFER_PARTICIPANT_AUDIENCE, TWILIO_CONTENT_TYPE } from './participant-token.constants';
import { ParticipantTokenVerifier } from './participant-token.verifier';
import { FakeParticipantTokenKeys } from './ports/participant-token-keys.fake';
import { createVerifierFixture, HOUR, NOW, NOW_S, SECRETS } from './verifier-fixture.fake';

describe('ParticipantTokenVerifier', () => {
  const { verifier, orgAKey, platformKey } = createVerifierFixture();
  const roomClaims: JWTPayload = { roomId: 'r1', role: 'moderator', peerId: 'p1' };

  describe('malformed tokens', () => {
    it.each([
      ['not a JWT at all', 'hello'],
      ['two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ'],
      ['a JWE (five parts)', 'a.b.c.d.e'],
      [
        'a header that is not JSON',
        `${Buffer.from('{oops').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`,
      ],
      [
        'a payload that is not a JSON object',
        `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('[1,2]').toString('base64url')}.sig`,
      ],
      [
        'a header without alg',
        `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`,
      ],
    ])('refuses %s', async (_what, token) => {
      expect(await verifier.verify({ token })).toMatchObject({
        valid: false,
        reason: 'malformed',
        message: expect.any(String),
      });
    });
  });

  describe('alg: none', () => {
    it.each([
      ['a room token naming an API key', unsignedToken(roomClaims, { kid: 'ak_a1' })],
      ['a room token naming a public key', unsignedToken(roomClaims, { kid: 'opk_a1' })],
      ['a session link', unsignedToken({ iss: 'ak_a1', un: 'x', sid: 's', rle: 'owner', ref: 'r' })],
      [
        'a Twilio token',
        unsignedToken(
          { iss: 'ak_a1', grants: { identity: 'x' }, exp: NOW_S + 60 },
          { cty: TWILIO_CONTENT_TYPE },
        ),
      ],
      ['an alias token', unsignedToken({ alias: 'al_live', user_id: 'u' })],
      [
        'a Confer token',
        unsignedToken(
          {
            iss: ISSUER,
            aud: CONFER_PARTICIPANT_AUDIENCE,
            sub: 'x',
            org_id: 'org_a',
            room: 'r',
            role: 'moderator',
          },
          { kid: 'kid_p1' },
        ),
      ],
    ])('is never accepted (%s)', async (_what, token) => {
      expect(await verifier.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
        message: expect.stringContaining('"none"'),
      });
    });

    it('is refused whatever its spelling', async () => {
      for (const alg of ['None', 'NONE', 'nOnE']) {
        const header = Buffer.from(JSON.stringify({ alg, kid: 'ak_a1' })).toString('base64url');
        const payload = Buffer.from(JSON.stringify(roomClaims)).toString('base64url');
        expect(await verifier.verify({ token: `${header}.${payload}.` })).toMatchObject({
          valid: false,
          reason: 'algorithm_not_allowed',
        });
      }
    });
  });

  describe('algorithms other than HS256 and RS256', () => {
    it('refuses HS512 even with the right secret', async () => {
      const token = await new SignJWT(roomClaims)
        .setProtectedHeader({ alg: 'HS512', kid: 'ak_a1' })
        .sign(Buffer.from(SECRETS.ak_a1.repeat(2)));
      expect(await verifier.verify({ token })).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
      });
    });

    it('refuses an HS256 token naming an RS256 key, and an RS256 token naming an HS256 key, before computing anything', async () => {
      expect(
        await verifier.verify({ token: await signHs256(roomClaims, SECRETS.ak_a1, { kid: 'opk_a1' }) }),
      ).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
        message: expect.stringContaining('opk_a1 verifies RS256'),
      });
      expect(
        await verifier.verify({ token: await signRs256(roomClaims, orgAKey.privateKey, { kid: 'ak_a1' }) }),
      ).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
        message: expect.stringContaining('ak_a1 verifies HS256'),
      });
    });
  });

  describe('RS/HS confusion (HMAC keyed with a public key)', () => {
    const pem = () => orgAKey.publicKey.export({ type: 'spki', format: 'pem' });
    const der = () => orgAKey.publicKey.export({ type: 'spki', format: 'der' });
    const jwk = () => JSON.stringify(orgAKey.publicKey.export({ format: 'jwk' }));

    it.each([
      ['PEM', pem],
      ['PKCS#1 PEM', () => orgAKey.publicKey.export({ type: 'pkcs1', format: 'pem' })],
      ['DER', der],
      ['JWK', jwk],
    ])('is refused when the token names the public key (%s bytes)', async (_encoding, keyBytes) => {
      const token = hmacWithPublicKeyBytes(roomClaims, keyBytes(), { kid: 'opk_a1' });
      expect(await verifier.verify({ token })).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
      });
    });

    it('is refused when the token names no key and the organisation is searched', async () => {
      const token = hmacWithPublicKeyBytes(roomClaims, pem());
      // Only the organisation's HS256 keys (API key secrets) are tried for an HS256 token.
      expect(await verifier.verify({ token, orgId: 'org_a' })).toMatchObject({
        valid: false,
        reason: 'bad_signature',
      });
    });

    it("is refused against Confer's own platform key", async () => {
      const claims = {
        iss: ISSUER,
        aud: CONFER_PARTICIPANT_AUDIENCE,
        sub: 'x',
        org_id: 'org_a',
        room: 'r',
        role: 'moderator',
        iat: NOW_S,
        exp: NOW_S + 60,
      };
      const token = hmacWithPublicKeyBytes(
        claims,
        platformKey.publicKey.export({ type: 'spki', format: 'pem' }),
        { kid: 'kid_p1' },
      );
      expect(await verifier.verify({ token })).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
      });
    });
  });

  describe('form selection', () => {
    it('reads cty before claims: a Twilio token with session claims is checked as Twilio', async () => {
      const token = await signHs256(
        {
          iss: 'ak_a1',
          sid: 's',
          rle: 'owner',
          nbf: NOW_S,
          exp: NOW_S + HOUR,
          grants: { identity: 'alice' },
        },
        SECRETS.ak_a1,
        { cty: TWILIO_CONTENT_TYPE },
      );
      expect(await verifier.verify({ token })).toMatchObject({
        valid: true,
        participant: { form: 'twilio' },
      });
    });

    it('treats a token claiming our issuer but signed with an API key as a Confer token, and refuses it', async () => {
      const token = await signHs256(
        {
          iss: ISSUER,
          aud: CONFER_PARTICIPANT_AUDIENCE,
          sub: 'x',
          org_id: 'org_b',
          room: 'r',
          role: 'moderator',
        },
        SECRETS.ak_a1,
        { kid: 'kid_p1' },
      );
      expect(await verifier.verify({ token })).toMatchObject({
        valid: false,
        reason: 'algorithm_not_allowed',
      });
    });
  });

  describe('identifiers that could not be ids (NUL bytes, control characters, kilobytes)', () => {
    /** One valid token of each form, with a way to put `id` where the form names its key. */
    const withKeyId: Array<[string, string, (id: unknown) => Promise<string>]> = [
      [
        'Coviu',
        'Claim "iss"',
        (iss) => signHs256({ iss, un: 'Joe', sid: 's1', rle: 'guest' } as JWTPayload, SECRETS.ak_a1),
      ],
      [
        'Twilio',
        'Claim "iss"',
        (iss) =>
          signHs256({ iss, exp: NOW_S + 60, grants: { identity: 'alice' } } as JWTPayload, SECRETS.ak_a1, {
            cty: TWILIO_CONTENT_TYPE,
          }),
      ],
      ['Gcore', 'Header "kid"', (kid) => signHs256(roomClaims, SECRETS.ak_a1, { kid })],
      [
        'Datagram',
        'Claim "alias"',
        (alias) => signHs256({ alias, user_id: 'u1' } as JWTPayload, SECRETS.al_live),
      ],
      [
        'Confer',
        'Header "kid"',
        (kid) =>
          signRs256(
            {
              iss: ISSUER,
              aud: CONFER_PARTICIPANT_AUDIENCE,
              sub: 'x',
              org_id: 'org_a',
              room: 'r',
              role: 'guest',
            },
            platformKey.privateKey,
            { kid },
          ),
      ],
    ];

    it.each(withKeyId)(
      '%s: %s holding a NUL byte is unknown_key, and never looked up',
      async (_form, label, sign) => {
        const { verifier: fresh, keys } = createVerifierFixture();
        expect(await fresh.verify({ token: await sign('ak_a1\u0000') })).toEqual({
          valid: false,
          reason: 'unknown_key',
          message: `${label} cannot name a key: it must not contain control characters`,
        });
        expect(keys.lookups).toEqual([]);
      },
    );

    it.each(withKeyId)(
      '%s: %s that is an object is malformed, and never looked up',
      async (_form, label, sign) => {
        const { verifier: fresh, keys } = createVerifierFixture();
        expect(await fresh.verify({ token: await sign({ id: 'ak_a1' }) })).toMatchObject({
          valid: false,
          reason: 'malformed',
          message: expect.stringContaining(label),
        });
        expect(keys.lookups).toEqual([]);
      },
    );

    it.each([
      ['orgId', { orgId: 'org_a\u0000' }, 'must not contain control characters'],
      ['orgId', { orgId: '' }, 'must not be empty'],
      ['orgId', { orgId: 'o'.repeat(257) }, 'must be at most 256 characters long (it has 257)'],
      ['roomId', { roomId: 'r1\u001b' }, 'must not contain control characters'],
      ['peerId', { peerId: 'p\u0085' }, 'must not contain control characters'],
    ])('refuses a request whose %s could not be an id, before any lookup', async (field, extra, problem) => {
      const { verifier: fresh, keys } = createVerifierFixture();
      const token = await signRs256({ roomId: 'r1' }, orgAKey.privateKey);
      expect(await fresh.verify({ token, ...extra })).toEqual({
        valid: false,
        reason: 'malformed',
        message: `The request's "${field}" ${problem}`,
      });
      expect(keys.lookups).toEqual([]);
    });
  });

  describe('matching the room and organisation the caller admits to, whatever the form', () => {
    /** A valid token of each form, for room `r1` of org_a. */
    const tokens: Array<[string, () => Promise<string>]> = [
      ['coviu', () => signHs256({ iss: 'ak_a1', un: 'Joe', sid: 'r1', rle: 'guest' }, SECRETS.ak_a1)],
      [
        'twilio',
        () =>
          signHs256(
            { iss: 'ak_a1', exp: NOW_S + 60, grants: { identity: 'alice', video: { room: 'r1' } } },
            SECRETS.ak_a1,
            { cty: TWILIO_CONTENT_TYPE },
          ),
      ],
      ['gcore', () => signRs256({ roomId: 'r1', peerId: 'p1' }, orgAKey.privateKey, { kid: 'opk_a1' })],
      ['confer', () => conferToken({ room: 'r1' })],
    ];

    it.each(tokens)('%s: admits to its own room of its own organisation', async (form, token) => {
      expect(await verifier.verify({ token: await token(), roomId: 'r1', orgId: 'org_a' })).toMatchObject({
        valid: true,
        participant: { form, roomId: 'r1', orgId: 'org_a' },
      });
    });

    it.each(tokens)('%s: refuses another room with wrong_room', async (_form, token) => {
      expect(await verifier.verify({ token: await token(), roomId: 'r2' })).toEqual({
        valid: false,
        reason: 'wrong_room',
        message: 'The token admits to room "r1", not "r2"',
      });
    });

    it.each(tokens)('%s: refuses another organisation with wrong_audience', async (_form, token) => {
      expect(await verifier.verify({ token: await token(), orgId: 'org_b' })).toMatchObject({
        valid: false,
        reason: 'wrong_audience',
        message: expect.stringMatching(/of organisation org_a, not of organisation org_b$/),
      });
    });

    it('datagram: refuses another room than the alias opens, and another organisation', async () => {
      const token = await signHs256({ alias: 'al_live', user_id: 'u1' }, SECRETS.al_live);
      expect(await verifier.verify({ token, roomId: 'r2' })).toMatchObject({
        valid: false,
        reason: 'wrong_room',
      });
      expect(await verifier.verify({ token, orgId: 'org_b' })).toMatchObject({
        valid: false,
        reason: 'wrong_audience',
      });
    });

    it("ignores the request's peerId for forms whose tokens name the participant", async () => {
      for (const [, token] of tokens) {
        const reply = await verifier.verify({ token: await token(), peerId: 'from-url' });
        expect(reply).toMatchObject({ valid: true });
        expect(reply.valid && reply.participant.identity).not.toBe('from-url');
      }
    });

    function conferToken(extra: JWTPayload): Promise<string> {
      return signRs256(
        {
          iss: ISSUER,
          aud: CONFER_PARTICIPANT_AUDIENCE,
          sub: 'user-1',
          org_id: 'org_a',
          role: 'participant',
          iat: NOW_S,
          exp: NOW_S + 600,
          ...extra,
        },
        platformKey.privateKey,
        { kid: 'kid_p1' },
      );
    }
  });

  it('lets an outage through instead of calling the token invalid', async () => {
    const keys = new FakeParticipantTokenKeys();
    keys.apiKey = () => Promise.reject(new Error('database unavailable'));
    const broken = new ParticipantTokenVerifier(keys, new FixedClock(NOW), authConfigForTests());
    await expect(
      broken.verify({ token: await signHs256(roomClaims, SECRETS.ak_a1, { kid: 'ak_a1' }) }),
    ).rejects.toThrow('database unavailable');
  });
});
