import { startRoomsFixture, RoomsFixture } from './rooms-fixture';

describe("the rooms service and a revoked API key's access tokens", () => {
  let f: RoomsFixture;

  beforeAll(async () => {
    f = await startRoomsFixture();
  });

  afterAll(async () => {
    await f?.close();
  });

  it('refuses them once auth announces the revocation, though they have not expired', async () => {
    const created = await f.api(
      `/v1/orgs/${f.org.orgId}/api-keys`,
      { method: 'POST', body: JSON.stringify({ name: 'doomed' }) },
      f.auth.baseUrl,
    );
    const { content } = (await created.json()) as { content: { apiKey: string; apiKeySecret: string } };
    const tokenResponse = await fetch(`${f.auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${content.apiKey}:${content.apiKeySecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: doomedToken } = (await tokenResponse.json()) as { access_token: string };
    const asDoomed = () =>
      fetch(`${f.rooms.baseUrl}/v1/rooms`, { headers: { authorization: `Bearer ${doomedToken}` } });
    expect((await asDoomed()).status).toBe(200);

    const revoked = await f.api(
      `/v1/orgs/${f.org.orgId}/api-keys/${content.apiKey}`,
      { method: 'DELETE' },
      f.auth.baseUrl,
    );
    expect(revoked.status).toBe(200);

    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await asDoomed()).status;
    }
    expect(status).toBe(401);
    const body = (await (await asDoomed()).json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual(
      expect.objectContaining({
        code: 'invalid_token',
        message: 'the API key behind this access token was revoked',
      }),
    );
    // The organisation's other key is untouched.
    expect((await f.api('/v1/rooms')).status).toBe(200);
  });
});

describe("the API root's links into the rooms service", () => {
  let f: RoomsFixture;

  beforeAll(async () => {
    f = await startRoomsFixture();
  });

  afterAll(async () => {
    await f?.close();
  });

  it('resolve on the rooms service (the gateway routes them there)', async () => {
    const root = (await (await f.api('/v1/', {}, f.auth.baseUrl)).json()) as {
      _links: Record<string, { href: string }>;
    };
    for (const rel of ['sessions', 'subscriptions', 'rooms']) {
      const response = await f.api(root._links[rel].href);
      expect({ rel, status: response.status }).toEqual({ rel, status: 200 });
    }
  });
});
