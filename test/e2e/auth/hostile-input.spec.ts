import { connect, JSONCodec } from 'nats';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation, runConferCli } from '../../support/confer-cli';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

interface TokenResponse {
  access_token: string;
  refresh_token: string;
}

describe('the auth service under hostile or racing clients', () => {
  let auth: RunningAuthService;
  let org: { orgId: string; apiKey: string; apiKeySecret: string };
  let accessToken: string;

  const token = (body: Record<string, string>, authorization = basic(org.apiKey, org.apiKeySecret)) =>
    fetch(`${auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: new URLSearchParams(body).toString(),
    });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${auth.baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  beforeAll(async () => {
    auth = await startAuthService();
    org = await createOrganisation(auth.env, 'Hostile', ['--rate-limit', '10000']);
    accessToken = ((await (await token({ grant_type: 'client_credentials' })).json()) as TokenResponse)
      .access_token;
  });

  afterAll(async () => {
    await auth?.close();
  });

  it.each([
    ['a NUL in a path parameter', () => api(`/v1/orgs/${org.orgId}/api-keys/%00`)],
    ['a NUL in a public-key id', () => api(`/v1/orgs/${org.orgId}/public-keys/%00`, { method: 'DELETE' })],
    [
      'a NUL in a body string',
      () => api(`/v1/orgs/${org.orgId}/api-keys`, { method: 'POST', body: '{"name":"a\\u0000b"}' }),
    ],
    ['an absurd page number', () => api(`/v1/orgs/${org.orgId}/api-keys?page=100000000000000000&count=200`)],
    [
      'a deeply nested JSON body',
      () => api('/v1/tokens', { method: 'POST', body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }),
    ],
    [
      'a deeply nested form body',
      () =>
        fetch(`${auth.baseUrl}/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `a${'[b]'.repeat(100)}=1&grant_type=client_credentials`,
        }),
    ],
    [
      'a NUL in the client id',
      () => token({ grant_type: 'client_credentials', client_id: 'ak\u0000x', client_secret: 's' }, ''),
    ],
  ])('answers %s with a 4xx JSON error, never 500', async (_, send) => {
    const response = await send();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { error: unknown };
    expect(body.error).toBeTruthy();
  });

  it('lets exactly one of many concurrent redemptions of a refresh token win, and then burns the family', async () => {
    for (let round = 0; round < 5; round++) {
      const { refresh_token } = (await (
        await token({ grant_type: 'client_credentials' })
      ).json()) as TokenResponse;
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => token({ grant_type: 'refresh_token', refresh_token })),
      );
      const winners = responses.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      // Every loser is told invalid_grant; none trips over another's revocation.
      expect(responses.filter((r) => r.status !== 200).map((r) => r.status)).toEqual(Array(7).fill(400));
      const successor = ((await winners[0].json()) as TokenResponse).refresh_token;
      const afterReplay = await token({ grant_type: 'refresh_token', refresh_token: successor });
      expect(afterReplay.status).toBe(400);
      expect(await afterReplay.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('keeps Confer participant tokens verifiable across a key rotation', async () => {
    const minted = await api('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ identity: 'ana', roomId: 'r1', ttlSeconds: 86400 }),
    });
    expect(minted.status).toBe(201);
    const { token: participantToken } = (await minted.json()) as { token: string };
    expect((await runConferCli(['signing-keys', 'rotate', '--force'], auth.env)).code).toBe(0);
    expect((await runConferCli(['signing-keys', 'rotate', '--force'], auth.env)).code).toBe(0);

    const nc = await connect({ servers: auth.natsUrl });
    try {
      const codec = JSONCodec();
      const reply = await nc.request(
        'confer.cmd.auth.participant-token.verify',
        codec.encode({ token: participantToken, roomId: 'r1' }),
        {
          timeout: 5000,
        },
      );
      expect(codec.decode(reply.data)).toMatchObject({
        ok: true,
        reply: { valid: true, participant: { identity: 'ana', roomId: 'r1' } },
      });
    } finally {
      await nc.close();
    }
  });

  it('limits the token endpoint too, with 429 and Retry-After', async () => {
    const slow = await createOrganisation(auth.env, 'Slow');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        token({ grant_type: 'client_credentials' }, basic(slow.apiKey, slow.apiKeySecret)),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited[0].json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('rate limit'),
    });
  });
});
