import { connect, MsgHdrs, NatsConnection } from 'nats';
import { Client } from 'pg';
import { AnyEventEnvelope, EventContract, subjectOf } from '@confer/contracts';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { TEST_DATABASE_URL } from '../../support/test-env';

/** Auth with an organisation and its client-credentials token, a NATS publisher and a SQL client. */
export interface WebhooksFixture {
  auth: RunningAuthService;
  org: { orgId: string; apiKey: string; apiKeySecret: string };
  accessToken: string;
  nc: NatsConnection;
  sql: Client;
  /** JetStream publication with the event id as message id, as the outbox relay does (with its trace headers). */
  publish(contract: EventContract, event: AnyEventEnvelope, headers?: MsgHdrs): Promise<void>;
  subscribe(baseUrl: string, body: Record<string, unknown>): Promise<{ id: string }>;
  close(): Promise<void>;
}

export async function startWebhooksFixture(): Promise<WebhooksFixture> {
  const auth = await startAuthService();
  const org = await createOrganisation(auth.env, 'Webhooks Test', ['--rate-limit', '100000']);
  const tokenResponse = await fetch(`${auth.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${org.apiKey}:${org.apiKeySecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const nc = await connect({ servers: auth.natsUrl });
  const js = nc.jetstream();
  const sql = new Client({ connectionString: TEST_DATABASE_URL });
  await sql.connect();
  return {
    auth,
    org,
    accessToken,
    nc,
    sql,
    async publish(contract, event, headers) {
      await js.publish(subjectOf(contract, event), new TextEncoder().encode(JSON.stringify(event)), {
        msgID: event.id,
        ...(headers ? { headers } : {}),
      });
    },
    async subscribe(baseUrl, body) {
      const response = await fetch(`${baseUrl}/v1/orgs/${org.orgId}/webhooks/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`subscribe failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    },
    async close() {
      await sql.end();
      await nc.close();
      await auth.close();
    },
  };
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
