import { generateKeyPairSync, KeyObject, randomBytes } from 'crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { BusModule, CommandClient, CommandFailed } from '@confer/bus';
import { RegisterAliasCredential, VerifyParticipantToken } from '@confer/contracts';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { SecretBox } from '../../../apps/auth/src/crypto/secret-box';
import { newId, newSecret } from '../../../apps/auth/src/crypto/identifiers';

/**
 * The participant-token capability end to end on one real auth service: tokens of every
 * form verified over real NATS request/reply against keys in real PostgreSQL, the keys
 * managed through the HTTP API and the alias command.
 */
describe('participant tokens over NATS and HTTP', () => {
  let auth: RunningAuthService;
  let client: TestingModule;
  let commands: CommandClient;
  let orgA: Org;
  let orgB: Org;
  let accessTokenA: string;

  interface Org {
    orgId: string;
    apiKey: string;
    secret: string;
  }

  const now = () => Math.floor(Date.now() / 1000);
  const verify = (token: string, extra: { roomId?: string; orgId?: string; peerId?: string } = {}) =>
    commands.request(VerifyParticipantToken, { token, ...extra });
  const hs256 = (claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ ...header, alg: 'HS256', typ: 'JWT' })
      .sign(Buffer.from(secret, 'utf8'));
  const rs256 = (claims: Record<string, unknown>, key: KeyObject, kid?: unknown) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) } as never)
      .sign(key);
  const registerPublicKey = async (): Promise<{ id: string; privateKey: KeyObject }> => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const response = await api(`/v1/orgs/${orgA.orgId}/public-keys`, {
      method: 'POST',
      body: JSON.stringify({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) }),
    });
    expect(response.status).toBe(201);
    return { id: ((await response.json()) as { id: string }).id, privateKey };
  };
  const api = (path: string, init: RequestInit & { accessToken?: string } = {}) =>
    fetch(`${auth.baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${init.accessToken ?? accessTokenA}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  /** An organisation with two live API keys, written straight to the database as the CLI would. */
  async function seedOrganisation(name: string): Promise<Org> {
    const dataSource = auth.app.get(DataSource);
    const box = auth.app.get(SecretBox);
    const orgId = newId('org');
    // A generous rate limit: this suite makes more than the default few requests a second.
    await dataSource.query(
      'INSERT INTO organisations (id, name, rate_limit_per_second) VALUES ($1, $2, 1000)',
      [orgId, name],
    );
    const keys: Array<{ id: string; secret: string }> = [];
    for (let i = 0; i < 2; i++) {
      const id = newId('ak', 24);
      const secret = newSecret();
      await dataSource.query('INSERT INTO api_keys (id, org_id, secret_sealed) VALUES ($1, $2, $3)', [
        id,
        orgId,
        box.seal(secret, id),
      ]);
      keys.push({ id, secret });
    }
    return { orgId, apiKey: keys[0].id, secret: keys[0].secret };
  }

  async function accessTokenFor(org: Org): Promise<string> {
    const response = await fetch(`${auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${org.apiKey}:${org.secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status !== 200)
      throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  beforeAll(async () => {
    auth = await startAuthService();
    client = await Test.createTestingModule({
      imports: [BusModule.forRoot({ service: 'participant-token-test', url: auth.natsUrl })],
    }).compile();
    await client.init();
    commands = client.get(CommandClient);
    orgA = await seedOrganisation('Org A');
    orgB = await seedOrganisation('Org B');
    accessTokenA = await accessTokenFor(orgA);
  });

  afterAll(async () => {
    await client?.close();
    await auth?.close();
  });

  it('verifies a session link signed with an API key secret, and refuses it for another organisation', async () => {
    const token = await hs256(
      { iss: orgA.apiKey, un: 'Dr. Jane Who', ref: 'jane', sid: 'room-1', rle: 'owner', exp: now() + 600 },
      orgA.secret,
    );
    expect(await verify(token, { roomId: 'room-1', orgId: orgA.orgId })).toMatchObject({
      valid: true,
      participant: {
        form: 'coviu',
        orgId: orgA.orgId,
        roomId: 'room-1',
        identity: 'jane',
        role: 'owner',
        keyId: orgA.apiKey,
      },
    });
    expect(await verify(token, { orgId: orgB.orgId })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
    expect(await verify(token, { roomId: 'room-2' })).toMatchObject({ valid: false, reason: 'wrong_room' });
  });

  it('refuses session links of an API key once it is revoked through the API', async () => {
    const dataSource = auth.app.get(DataSource);
    const box = auth.app.get(SecretBox);
    const keyId = newId('ak', 24);
    const secret = newSecret();
    await dataSource.query('INSERT INTO api_keys (id, org_id, secret_sealed) VALUES ($1, $2, $3)', [
      keyId,
      orgA.orgId,
      box.seal(secret, keyId),
    ]);
    const token = await hs256({ iss: keyId, un: 'Joe Guest', sid: 'room-1', rle: 'guest' }, secret);
    expect(await verify(token)).toMatchObject({ valid: true, participant: { keyId } });
    expect((await api(`/v1/orgs/${orgA.orgId}/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(200);
    expect(await verify(token)).toMatchObject({ valid: false, reason: 'key_revoked' });
  });

  it('verifies a Twilio access token and refuses one that lives 25 hours', async () => {
    const claims = {
      jti: `${orgA.apiKey}-1`,
      iss: orgA.apiKey,
      sub: orgA.orgId,
      nbf: now(),
      exp: now() + 3600,
      grants: { identity: 'alice', video: { room: 'room-1' } },
    };
    expect(await verify(await hs256(claims, orgA.secret, { cty: 'twilio-fpa;v=1' }))).toMatchObject({
      valid: true,
      participant: { form: 'twilio', identity: 'alice' },
    });
    const tooLong = await hs256({ ...claims, exp: now() + 25 * 3600 }, orgA.secret, {
      cty: 'twilio-fpa;v=1',
    });
    expect(await verify(tooLong)).toMatchObject({ valid: false, reason: 'lifetime_too_long' });
  });

  it('never accepts alg none', async () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'none', kid: orgA.apiKey })}.${part({ roomId: 'room-1', peerId: 'p', role: 'moderator' })}.`;
    expect(await verify(token, { orgId: orgA.orgId })).toMatchObject({
      valid: false,
      reason: 'algorithm_not_allowed',
    });
  });

  it('mints a Confer participant token that the verifier accepts', async () => {
    const response = await api('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({
        identity: 'user-42',
        roomId: 'weekly',
        role: 'moderator',
        displayName: 'Ada',
        ttlSeconds: 600,
        attributes: { canRecord: true },
      }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { identity: string; token: string };
    expect(body).toEqual({ identity: 'user-42', token: expect.any(String) });
    expect(await verify(body.token, { roomId: 'weekly', orgId: orgA.orgId })).toMatchObject({
      valid: true,
      participant: {
        form: 'confer',
        orgId: orgA.orgId,
        roomId: 'weekly',
        identity: 'user-42',
        displayName: 'Ada',
        role: 'moderator',
        attributes: { canRecord: true },
      },
    });
    expect(await verify(body.token, { roomId: 'other' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
    });
  });

  it('refuses to mint without an access token or with an invalid request', async () => {
    expect(
      (
        await api('/v1/tokens', {
          method: 'POST',
          body: JSON.stringify({ identity: 'u', roomId: 'r' }),
          accessToken: 'nope',
        })
      ).status,
    ).toBe(401);
    const invalid = await api('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ identity: 'u', roomId: 'has spaces', ttlSeconds: 10 }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const tooLong = await api('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ identity: 'u', roomId: 'r', ttlSeconds: 86400 * 2 }),
    });
    expect(tooLong.status).toBe(400);
  });

  it('registers a public key, verifies RS256 room tokens naming it, and refuses them once it is revoked', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const created = await api(`/v1/orgs/${orgA.orgId}/public-keys`, {
      method: 'POST',
      body: JSON.stringify({
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
        name: 'room signer',
      }),
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; name: string; algorithm: string; createdAt: string };
    expect(key).toMatchObject({
      id: expect.stringMatching(/^opk_/),
      name: 'room signer',
      algorithm: 'RS256',
      createdAt: expect.any(String),
    });

    const token = await rs256(
      { roomId: 'serv0_test1', role: 'moderator', peerId: 'peer-1', canRecord: true },
      privateKey,
      key.id,
    );
    expect(await verify(token, { roomId: 'serv0_test1', orgId: orgA.orgId })).toMatchObject({
      valid: true,
      participant: {
        form: 'gcore',
        orgId: orgA.orgId,
        role: 'moderator',
        identity: 'peer-1',
        keyId: key.id,
        attributes: { canRecord: true },
      },
    });

    const listed = (await (await api(`/v1/orgs/${orgA.orgId}/public-keys?page=0&count=10`)).json()) as {
      content: Array<{ id: string }>;
    };
    expect(listed.content.map((k) => k.id)).toContain(key.id);

    const revoked = await api(`/v1/orgs/${orgA.orgId}/public-keys/${key.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    expect(await verify(token)).toMatchObject({ valid: false, reason: 'key_revoked' });
  });

  it('rejects a public key that is not RSA or too short, and keys of another organisation', async () => {
    const register = (publicKeyPem: string) =>
      api(`/v1/orgs/${orgA.orgId}/public-keys`, { method: 'POST', body: JSON.stringify({ publicKeyPem }) });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    for (const pem of [short, ec, 'not a key']) {
      const response = await register(pem);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_public_key' } });
    }
    expect((await api(`/v1/orgs/${orgB.orgId}/public-keys`)).status).toBe(403);
  });

  it('registers an alias secret over NATS, verifies its tokens, and replaces the secret', async () => {
    const aliasId = `alias_${randomBytes(4).toString('hex')}`;
    const first = 'first-alias-secret-0123456789';
    const expiresAt = now() + 3600;
    expect(
      await commands.request(RegisterAliasCredential, {
        aliasId,
        orgId: orgA.orgId,
        roomId: 'room-alias',
        jwtSecret: first,
        expiresAt,
      }),
    ).toEqual({ aliasId, expiresAt });

    const [row] = (await auth.app
      .get(DataSource)
      .query('SELECT secret_sealed FROM alias_credentials WHERE alias_id = $1', [aliasId])) as Array<{
      secret_sealed: string;
    }>;
    expect(row.secret_sealed).not.toContain(first);

    const token = await hs256(
      { alias: aliasId, user_id: 'user456', host: true, expires_in: 600, iat: now() },
      first,
    );
    expect(await verify(token, { roomId: 'room-alias' })).toMatchObject({
      valid: true,
      participant: { form: 'datagram', orgId: orgA.orgId, role: 'host', identity: 'user456' },
    });
    // The document's own example claims: expires_in without iat, bounded by the alias's expiry.
    const seedExample = await hs256(
      { alias: aliasId, user_id: 'user456xxyz', host: true, expires_in: 3600 },
      first,
    );
    expect(await verify(seedExample, { roomId: 'room-alias', orgId: orgA.orgId })).toMatchObject({
      valid: true,
      participant: { identity: 'user456xxyz', expiresAt },
    });
    expect(await verify(seedExample, { orgId: orgB.orgId })).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
    expect(await verify(seedExample, { roomId: 'room-other' })).toMatchObject({
      valid: false,
      reason: 'wrong_room',
    });
    const signedWithAnother = await hs256(
      { alias: aliasId, user_id: 'mallory', host: true },
      'not-the-alias-secret-0123456789',
    );
    expect(await verify(signedWithAnother)).toMatchObject({
      valid: false,
      reason: 'bad_signature',
      message: expect.stringContaining(aliasId),
    });

    await commands.request(RegisterAliasCredential, {
      aliasId,
      orgId: orgA.orgId,
      roomId: 'room-alias',
      jwtSecret: 'second-alias-secret-012345678',
      expiresAt,
    });
    expect(await verify(token)).toMatchObject({ valid: false, reason: 'bad_signature' });
    await expect(
      commands.request(RegisterAliasCredential, {
        aliasId,
        orgId: orgB.orgId,
        roomId: 'room-alias',
        jwtSecret: 'third-alias-secret-0123456789',
        expiresAt,
      }),
    ).rejects.toMatchObject({ code: 'alias_conflict' });
    // The refused move changed nothing: the second secret still opens the alias for org A.
    const second = await hs256({ alias: aliasId, user_id: 'u2' }, 'second-alias-secret-012345678');
    expect(await verify(second, { orgId: orgA.orgId })).toMatchObject({ valid: true });
  });

  it('refuses to register an alias of an unknown organisation, or to move an alias to another organisation', async () => {
    const request = {
      aliasId: `alias_${randomBytes(4).toString('hex')}`,
      roomId: 'r',
      jwtSecret: 'some-alias-secret-0123',
      expiresAt: now() + 60,
    };
    await expect(
      commands.request(RegisterAliasCredential, { ...request, orgId: 'org_unknown' }),
    ).rejects.toMatchObject({ code: 'organisation_not_found' });
    for (const [orgId, roomId] of [
      ['org_\u0000', 'r'],
      [orgA.orgId, 'room\u0000'],
    ]) {
      await expect(
        commands.request(RegisterAliasCredential, { ...request, orgId, roomId }),
      ).rejects.toMatchObject({
        code: 'invalid_request',
        message: expect.stringMatching(/(orgId|roomId) must not contain control characters/),
      });
    }
    await commands.request(RegisterAliasCredential, { ...request, orgId: orgA.orgId });
    const moved = commands.request(RegisterAliasCredential, { ...request, orgId: orgB.orgId });
    await expect(moved).rejects.toBeInstanceOf(CommandFailed);
    await expect(moved).rejects.toMatchObject({ code: 'alias_conflict' });
  });

  describe('identifiers that could not be ids', () => {
    const nul = 'x\u0000y';

    it('answers a refusal over NATS, never an internal error, for a NUL byte in any key id or in the request', async () => {
      const gcore = { roomId: 'room-1', peerId: 'p1' };
      const cases: Array<[string, Promise<string>, Record<string, string>, string]> = [
        [
          'Coviu iss',
          hs256({ iss: nul, un: 'Joe', sid: 'room-1', rle: 'guest' }, orgA.secret),
          {},
          'unknown_key',
        ],
        [
          'Twilio iss',
          hs256({ iss: nul, exp: now() + 60, grants: { identity: 'a' } }, orgA.secret, {
            cty: 'twilio-fpa;v=1',
          }),
          {},
          'unknown_key',
        ],
        ['Gcore kid', hs256(gcore, orgA.secret, { kid: nul }), {}, 'unknown_key'],
        ['Gcore object kid', hs256(gcore, orgA.secret, { kid: { id: orgA.apiKey } }), {}, 'malformed'],
        ['Datagram alias', hs256({ alias: nul, user_id: 'u' }, orgA.secret), {}, 'unknown_key'],
        ['request orgId', hs256(gcore, orgA.secret), { orgId: nul }, 'malformed'],
        ['request peerId', hs256(gcore, orgA.secret), { peerId: nul }, 'malformed'],
      ];
      for (const [what, token, extra, reason] of cases) {
        const reply = await verify(await token, extra).catch((err: unknown) => err);
        expect({ what, reply }).toMatchObject({ what, reply: { valid: false, reason } });
      }
    });

    it('answers 400 invalid_request, never 500, for a public key id that could not be one', async () => {
      for (const keyId of ['%00', 'k'.repeat(300), 'opk_%0A1']) {
        for (const method of ['GET', 'DELETE']) {
          const response = await api(`/v1/orgs/${orgA.orgId}/public-keys/${keyId}`, { method });
          expect({ keyId, method, status: response.status }).toEqual({ keyId, method, status: 400 });
          expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
        }
      }
      const unknown = await api(`/v1/orgs/${orgA.orgId}/public-keys/opk_unknown`);
      expect(unknown.status).toBe(404);
    });

    it('refuses to mint a token for an identity with control characters', async () => {
      const response = await api('/v1/tokens', {
        method: 'POST',
        body: JSON.stringify({ identity: 'user\u0007', roomId: 'weekly' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    });
  });

  describe('Gcore room tokens that name no key', () => {
    it("admits the seed's own example (no peerId, no sub) without an identity, or as the joiner's peerId", async () => {
      const { privateKey } = await registerPublicKey();
      const token = await rs256(
        { roomId: 'abcd1234', role: 'moderator', startTime: '2022-06-21T00:00:00.0Z', iat: 1516239022 },
        privateKey,
      );
      const reply = await verify(token, { roomId: 'abcd1234', orgId: orgA.orgId });
      expect(reply).toMatchObject({ valid: true, participant: { form: 'gcore', role: 'moderator' } });
      expect(reply.valid && 'identity' in reply.participant).toBe(false);
      expect(await verify(token, { roomId: 'abcd1234', orgId: orgA.orgId, peerId: 'peer-9' })).toMatchObject({
        valid: true,
        participant: { identity: 'peer-9' },
      });
      expect(await verify(token, { orgId: orgB.orgId })).toMatchObject({ valid: false });
    });

    it("chooses by alg when iss is the integrator's own: RS256 from public keys, HS256 from API keys", async () => {
      const { id, privateKey } = await registerPublicKey();
      const claims = { iss: 'my-app', roomId: 'room-1', peerId: 'p1' };
      expect(await verify(await rs256(claims, privateKey), { orgId: orgA.orgId })).toMatchObject({
        valid: true,
        participant: { keyId: id, orgId: orgA.orgId },
      });
      expect(await verify(await hs256(claims, orgA.secret), { orgId: orgA.orgId })).toMatchObject({
        valid: true,
        participant: { keyId: orgA.apiKey },
      });
      expect(await verify(await rs256(claims, privateKey))).toMatchObject({
        valid: false,
        reason: 'unknown_key',
      });
    });

    it("refuses a token of organisation A's key presented for organisation B", async () => {
      const { id, privateKey } = await registerPublicKey();
      const token = await rs256({ roomId: 'room-1', peerId: 'p1' }, privateKey, id);
      expect(await verify(token, { orgId: orgB.orgId })).toMatchObject({
        valid: false,
        reason: 'wrong_audience',
        message: expect.stringContaining(orgB.orgId),
      });
    });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${auth.baseUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { tags?: string[]; responses: Record<string, unknown>; security?: unknown[] }>
      >;
    };
    expect(doc.paths['/v1/tokens'].post).toMatchObject({
      tags: ['participant tokens'],
      responses: { '201': expect.anything() },
    });
    // Minting requires the organisation's access token.
    expect(doc.paths['/v1/tokens'].post.security).toEqual(
      expect.arrayContaining([expect.objectContaining({ bearer: [] })]),
    );
    expect(Object.keys(doc.paths['/v1/orgs/{orgId}/public-keys'])).toEqual(
      expect.arrayContaining(['post', 'get']),
    );
    expect(Object.keys(doc.paths['/v1/orgs/{orgId}/public-keys/{keyId}'])).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );
  });
});
