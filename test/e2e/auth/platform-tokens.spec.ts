import { connect, JSONCodec, NatsConnection } from 'nats';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';

const SUBJECT = 'confer.cmd.auth.platform-token.sign';

describe('platform tokens signed by auth for other services', () => {
  let auth: RunningAuthService;
  let nc: NatsConnection;
  const codec = JSONCodec();

  const sign = async (request: Record<string, unknown>) =>
    codec.decode((await nc.request(SUBJECT, codec.encode(request), { timeout: 5000 })).data) as {
      ok: boolean;
      reply?: { token: string; kid: string; expiresAt: number };
      error?: { code: string; message: string };
    };

  beforeAll(async () => {
    auth = await startAuthService();
    nc = await connect({ servers: auth.natsUrl });
  });

  afterAll(async () => {
    await nc?.close();
    await auth?.close();
  });

  it('signs a join grant that verifies against the published JWKS, for its audience only', async () => {
    const answer = await sign({
      audience: 'confer:join-grant',
      subject: 'peer-1',
      claims: { room: 'r1', role: 'viewer', perms: ['subscribe'] },
      ttlSeconds: 60,
    });
    expect(answer.ok).toBe(true);
    const jwks = createRemoteJWKSet(new URL(`${auth.baseUrl}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(answer.reply!.token, jwks, {
      issuer: auth.baseUrl,
      audience: 'confer:join-grant',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(answer.reply!.kid);
    expect(payload).toMatchObject({ sub: 'peer-1', room: 'r1', role: 'viewer', perms: ['subscribe'] });
    expect(payload.exp! - payload.iat!).toBe(60);
    // Not an API access token: the server API refuses it.
    const asAccess = await fetch(`${auth.baseUrl}/v1/`, {
      headers: { authorization: `Bearer ${answer.reply!.token}` },
    });
    expect(asAccess.status).toBe(401);
  });

  it.each([
    [
      'an audience outside the closed list',
      { audience: `${'http://127.0.0.1'}/v1/`, subject: 'x', claims: {}, ttlSeconds: 60 },
    ],
    [
      'a registered claim in the claims',
      { audience: 'confer:join-grant', subject: 'x', claims: { aud: 'other' }, ttlSeconds: 60 },
    ],
    [
      'a lifetime over an hour',
      { audience: 'confer:join-grant', subject: 'x', claims: {}, ttlSeconds: 86400 },
    ],
  ])('refuses %s', async (_, request) => {
    const answer = await sign(request);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
