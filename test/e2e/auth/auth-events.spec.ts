import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { EventTap } from '../../support/event-tap';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('what the auth service announces on the bus', () => {
  let auth: RunningAuthService;
  let tap: EventTap;

  beforeAll(async () => {
    auth = await startAuthService();
    tap = await EventTap.open(auth.natsUrl, 'confer.evt.*._.>');
  });

  afterAll(async () => {
    await tap?.close();
    await auth?.close();
  });

  it('announces organisations and keys, with the same ids as the state they describe', async () => {
    const org = await createOrganisation(auth.env, 'Evented', ['--rate-limit', '1000']);
    await tap.waitFor(() => tap.of('api-key.created').some((e) => e.orgid === org.orgId));
    expect(tap.of('organisation.created').find((e) => e.orgid === org.orgId)).toMatchObject({
      id: `organisation.created:${org.orgId}`,
      source: '/confer/auth',
      data: { orgId: org.orgId, name: 'Evented' },
    });
    const keyEvent = tap.of('api-key.created').find((e) => e.orgid === org.orgId);
    expect(keyEvent?.data).toEqual({ orgId: org.orgId, apiKey: org.apiKey, name: 'default' });
    expect(JSON.stringify(tap.events)).not.toContain(org.apiKeySecret);
  });

  it('announces a revoked key and a replayed refresh token', async () => {
    const org = await createOrganisation(auth.env, 'Revoker', ['--rate-limit', '1000']);
    const token = async (body: string) =>
      (await (
        await fetch(`${auth.baseUrl}/v1/auth/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basic(org.apiKey, org.apiKeySecret),
          },
          body,
        })
      ).json()) as { access_token: string; refresh_token: string };
    const first = await token('grant_type=client_credentials');
    await token(`grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    await token(`grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    await tap.waitFor(() => tap.of('refresh-token.reused').some((e) => e.orgid === org.orgId));

    const created = await fetch(`${auth.baseUrl}/v1/orgs/${org.orgId}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'temp' }),
    });
    const { content } = (await created.json()) as { content: { apiKey: string } };
    await fetch(`${auth.baseUrl}/v1/orgs/${org.orgId}/api-keys/${content.apiKey}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${first.access_token}` },
    });
    await tap.waitFor(() =>
      tap.of('api-key.revoked').some((e) => (e.data as { apiKey: string }).apiKey === content.apiKey),
    );
  });
});
