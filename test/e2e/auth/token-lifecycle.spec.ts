import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation, runConferCli } from '../../support/confer-cli';
import { SigningKeys } from '../../../apps/auth/src/signing-keys/signing-keys.service';

/** Links of the HAL root that the rooms service answers (behind the same base URL). */
const ROOMS_RELS = ['sessions', 'subscriptions', 'rooms'];

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

describe('an integrator authenticates against Confer', () => {
  let auth: RunningAuthService;
  let org: { orgId: string; apiKey: string; apiKeySecret: string };

  const token = (body: Record<string, string>, authorization?: string) =>
    fetch(`${auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization ? { authorization } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });

  const api = (path: string, accessToken: string, init: RequestInit = {}) =>
    fetch(`${auth.baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  beforeAll(async () => {
    auth = await startAuthService({ SIGNING_KEY_REFRESH_SECONDS: '1' });
    // A generous limit for this suite; the rate limit has its own organisation below.
    org = await createOrganisation(auth.env, 'Acme Health', ['--rate-limit', '1000']);
  });

  afterAll(async () => {
    await auth?.close();
  });

  it('creates an organisation and its first key with the CLI, showing the secret once', () => {
    expect(org.orgId).toMatch(/^org_[a-z0-9]{20}$/);
    expect(org.apiKey).toMatch(/^ak_[a-z0-9]{24}$/);
    expect(org.apiKeySecret.length).toBeGreaterThanOrEqual(43);
  });

  it('issues an RS256 access token that an independent verifier accepts through the published JWKS', async () => {
    const response = await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as TokenResponse;
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'confer-api', expires_in: 3600 });
    expect(body.refresh_token).toMatch(/^rt_/);

    const discovery = (await (await fetch(`${auth.baseUrl}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
      token_endpoint: string;
    };
    expect(discovery.issuer).toBe(auth.baseUrl);
    expect(discovery.token_endpoint).toBe(`${auth.baseUrl}/v1/auth/token`);
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: discovery.issuer,
      audience: `${auth.baseUrl}/v1/`,
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: `${org.apiKey}@clients`,
      azp: org.apiKey,
      gty: 'client-credentials',
      scope: 'confer-api',
      org_id: org.orgId,
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
  });

  it('accepts the credentials in the form body too (RFC 6749 §2.3.1)', async () => {
    const response = await token({
      grant_type: 'client_credentials',
      client_id: org.apiKey,
      client_secret: org.apiKeySecret,
    });
    expect(response.status).toBe(200);
  });

  it('refreshes once per refresh token, and revokes the family when a spent one comes back', async () => {
    const first = (await (
      await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
    ).json()) as TokenResponse;
    const refreshed = await token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      basic(org.apiKey, org.apiKeySecret),
    );
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as TokenResponse;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    const replay = await token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      basic(org.apiKey, org.apiKeySecret),
    );
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });

    // The thief's replay burnt the legitimate holder's successor as well.
    const successor = await token(
      { grant_type: 'refresh_token', refresh_token: second.refresh_token },
      basic(org.apiKey, org.apiKeySecret),
    );
    expect(successor.status).toBe(400);
    expect(await successor.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers the HAL root with links that resolve', async () => {
    const { access_token } = (await (
      await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
    ).json()) as TokenResponse;
    const root = await api('/v1/', access_token);
    expect(root.status).toBe(200);
    const body = (await root.json()) as {
      content: Record<string, unknown>;
      _links: Record<string, { href: string }>;
    };
    expect(body.content).toEqual({ active: true, orgId: org.orgId, clientId: org.apiKey });
    expect(body._links.org.href).toBe(`/v1/orgs/${org.orgId}`);
    for (const [rel, link] of Object.entries(body._links)) {
      if (ROOMS_RELS.includes(rel)) continue; // served by rooms: followed in test/integration/rooms
      const followed = await api(link.href, access_token);
      expect({ rel, status: followed.status }).toEqual({ rel, status: 200 });
    }
  });

  describe('refuses bad requests with RFC 6749 errors', () => {
    it.each([
      [
        'a malformed Basic header',
        { grant_type: 'client_credentials' },
        'Basic not-base64!',
        401,
        'invalid_client',
      ],
      [
        'a Basic header without a colon',
        { grant_type: 'client_credentials' },
        `Basic ${Buffer.from('nocolon').toString('base64')}`,
        401,
        'invalid_client',
      ],
      ['a wrong secret', { grant_type: 'client_credentials' }, 'WRONG', 401, 'invalid_client'],
      ['no credentials', { grant_type: 'client_credentials' }, undefined, 401, 'invalid_client'],
      ['an unknown grant type', { grant_type: 'password' }, 'GOOD', 400, 'unsupported_grant_type'],
      ['no grant type', {}, 'GOOD', 400, 'invalid_request'],
      ['a refresh grant without a token', { grant_type: 'refresh_token' }, 'GOOD', 400, 'invalid_request'],
      [
        'an unknown refresh token',
        { grant_type: 'refresh_token', refresh_token: 'rt_nope' },
        'GOOD',
        400,
        'invalid_grant',
      ],
      [
        'an unknown scope',
        { grant_type: 'client_credentials', scope: 'admin' },
        'GOOD',
        400,
        'invalid_scope',
      ],
    ])('%s', async (_, body, authorization, status, error) => {
      const header =
        authorization === 'GOOD'
          ? basic(org.apiKey, org.apiKeySecret)
          : authorization === 'WRONG'
            ? basic(org.apiKey, 'not-the-secret')
            : authorization;
      const response = await token(body as Record<string, string>, header);
      expect(response.status).toBe(status);
      const json = (await response.json()) as { error: string; error_description: string };
      expect(json.error).toBe(error);
      expect(json.error_description.length).toBeGreaterThan(5);
      if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    });
  });

  describe('refuses bad bearer tokens on the API', () => {
    let accessToken: string;
    beforeAll(async () => {
      accessToken = (
        (await (
          await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
        ).json()) as TokenResponse
      ).access_token;
    });

    it('a tampered token', async () => {
      const [h, p, s] = accessToken.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, org_id: 'org_someoneelse' })).toString(
        'base64url',
      );
      const response = await api('/v1/', `${h}.${forged}.${s}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'invalid_token', message: 'the access token signature is invalid' },
      });
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('an expired token', async () => {
      const { kid, privateKey } = await auth.app.get(SigningKeys).currentSigningKey();
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({
        azp: org.apiKey,
        gty: 'client-credentials',
        scope: 'confer-api',
        org_id: org.orgId,
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(auth.baseUrl)
        .setAudience(`${auth.baseUrl}/v1/`)
        .setSubject(`${org.apiKey}@clients`)
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(privateKey);
      const response = await api('/v1/', expired);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'invalid_token', message: 'the access token has expired' },
      });
    });

    it('a missing or non-Bearer Authorization header', async () => {
      const response = await fetch(`${auth.baseUrl}/v1/`, {
        headers: { authorization: basic(org.apiKey, org.apiKeySecret) },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    });

    it("another organisation's resources", async () => {
      const response = await api('/v1/orgs/org_other/api-keys', accessToken);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    });
  });

  it('manages API keys: secret shown once, listed without it, revoked keys refused', async () => {
    const { access_token } = (await (
      await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
    ).json()) as TokenResponse;
    const created = await api(`/v1/orgs/${org.orgId}/api-keys`, access_token, {
      method: 'POST',
      body: JSON.stringify({ name: 'billing' }),
    });
    expect(created.status).toBe(201);
    const { content } = (await created.json()) as {
      content: { apiKey: string; apiKeySecret: string; name: string; active: boolean };
    };
    expect(content).toMatchObject({ name: 'billing', active: true });

    const works = await token(
      { grant_type: 'client_credentials' },
      basic(content.apiKey, content.apiKeySecret),
    );
    expect(works.status).toBe(200);
    const newKeysToken = ((await works.json()) as TokenResponse).access_token;
    expect((await api('/v1/', newKeysToken)).status).toBe(200);

    const listed = (await (
      await api(`/v1/orgs/${org.orgId}/api-keys?page=0&count=1`, access_token)
    ).json()) as {
      content: Array<{ content: Record<string, unknown> }>;
      _links: Record<string, { href: string }>;
    };
    expect(listed.content).toHaveLength(1);
    expect(listed._links.next.href).toBe(`/v1/orgs/${org.orgId}/api-keys?page=1&count=1`);
    expect(JSON.stringify(listed)).not.toContain('apiKeySecret');
    expect(JSON.stringify(listed)).not.toContain(content.apiKeySecret);

    const fetched = await api(`/v1/orgs/${org.orgId}/api-keys/${content.apiKey}`, access_token);
    expect(await fetched.json()).toMatchObject({ content: { apiKey: content.apiKey, active: true } });
    expect((await api(`/v1/orgs/${org.orgId}/api-keys/ak_missing`, access_token)).status).toBe(404);

    const revoked = await api(`/v1/orgs/${org.orgId}/api-keys/${content.apiKey}`, access_token, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ content: { active: false } });
    const refused = await token(
      { grant_type: 'client_credentials' },
      basic(content.apiKey, content.apiKeySecret),
    );
    expect(refused.status).toBe(401);
    // Its access tokens die with it: a stolen key cannot mint itself a successor.
    const afterRevocation = await api(`/v1/orgs/${org.orgId}/api-keys`, newKeysToken, {
      method: 'POST',
      body: JSON.stringify({ name: 'successor' }),
    });
    expect(afterRevocation.status).toBe(401);
    expect(await afterRevocation.json()).toMatchObject({
      error: { code: 'invalid_token', message: 'the API key behind this access token was revoked' },
    });

    const bad = await api(`/v1/orgs/${org.orgId}/api-keys`, access_token, {
      method: 'POST',
      body: JSON.stringify({ name: 42 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const badPage = await api(`/v1/orgs/${org.orgId}/api-keys?count=500`, access_token);
    expect(badPage.status).toBe(400);
  });

  it('keeps the last live key', async () => {
    const solo = await createOrganisation(auth.env, 'Solo', ['--rate-limit', '100']);
    const { access_token } = (await (
      await token({ grant_type: 'client_credentials' }, basic(solo.apiKey, solo.apiKeySecret))
    ).json()) as TokenResponse;
    const response = await api(`/v1/orgs/${solo.orgId}/api-keys/${solo.apiKey}`, access_token, {
      method: 'DELETE',
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'last_live_api_key' } });
  });

  it('limits each credential to its rate (4 per second by default) with 429 and Retry-After', async () => {
    const limited = await createOrganisation(auth.env, 'Default Limits');
    const { access_token } = (await (
      await token({ grant_type: 'client_credentials' }, basic(limited.apiKey, limited.apiKeySecret))
    ).json()) as TokenResponse;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const response = await api('/v1/', access_token);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('rotates signing keys without breaking tokens already issued', async () => {
    const before = (await (
      await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
    ).json()) as TokenResponse;
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    const jwksBefore = (await (await fetch(`${auth.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(jwksBefore.keys).toHaveLength(2); // the signing key and the next one, published ahead

    // The next key was published moments ago: verifiers' cached JWKS may lack it.
    const tooSoon = await runConferCli(['signing-keys', 'rotate', '--json'], auth.env);
    expect(tooSoon.code).toBe(2);
    expect(tooSoon.stderr).toContain('was published less than 300 s ago');

    const rotated = await runConferCli(['signing-keys', 'rotate', '--json', '--force'], auth.env);
    expect(rotated.code).toBe(0);
    const { activeKid, retiredKid } = JSON.parse(rotated.stdout) as { activeKid: string; retiredKid: string };
    expect(retiredKid).toBe(oldKid);
    // The key that now signs was published before it signed anything.
    expect(jwksBefore.keys.map((k) => k.kid)).toContain(activeKid);

    await auth.app.get(SigningKeys).reload();
    const after = (await (
      await token({ grant_type: 'client_credentials' }, basic(org.apiKey, org.apiKeySecret))
    ).json()) as TokenResponse;
    expect(decodeProtectedHeader(after.access_token).kid).toBe(activeKid);
    const jwks = createRemoteJWKSet(new URL(`${auth.baseUrl}/.well-known/jwks.json`));
    for (const t of [before.access_token, after.access_token]) {
      await expect(jwtVerify(t, jwks, { issuer: auth.baseUrl, algorithms: ['RS256'] })).resolves.toBeTruthy();
    }
    expect((await api('/v1/', before.access_token)).status).toBe(200);
  });

  it('documents its routes in /openapi.json with their error shapes', async () => {
    const doc = (await (await fetch(`${auth.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/token',
        '/v1',
        '/.well-known/jwks.json',
        '/.well-known/openid-configuration',
        '/v1/orgs/{orgId}/api-keys',
        '/v1/orgs/{orgId}/api-keys/{keyId}',
      ]),
    );
    expect(Object.keys(doc.paths['/v1/auth/token'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '429']),
    );
    expect(Object.keys(doc.paths['/v1/orgs/{orgId}/api-keys'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403']),
    );
  });
});
