import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { startRoomsService, RunningRoomsService } from '../../support/rooms-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import { EventTap } from '../../support/event-tap';

export interface RoomsFixture {
  auth: RunningAuthService;
  rooms: RunningRoomsService;
  org: { orgId: string; apiKey: string; apiKeySecret: string };
  accessToken: string;
  tap: EventTap;
  /** A Confer participant token minted through the public API. */
  mint(identity: string, roomId: string, extra?: Record<string, unknown>): Promise<string>;
  join(roomId: string, body: Record<string, unknown>, base?: string): Promise<Response>;
  api(path: string, init?: RequestInit, base?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Real auth and rooms services on one private NATS and the real PostgreSQL, with an organisation. */
export async function startRoomsFixture(roomsOverrides: Record<string, string> = {}): Promise<RoomsFixture> {
  const auth = await startAuthService();
  const org = await createOrganisation(auth.env, 'Rooms Test', ['--rate-limit', '100000']);
  const tokenResponse = await fetch(`${auth.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${org.apiKey}:${org.apiKeySecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const rooms = await startRoomsService(auth, roomsOverrides);
  const tap = await EventTap.open(auth.natsUrl, `confer.evt.${org.orgId}.>`);

  const api = (path: string, init: RequestInit = {}, base = rooms.baseUrl) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  return {
    auth,
    rooms,
    org,
    accessToken,
    tap,
    api,
    async mint(identity, roomId, extra = {}) {
      const response = await api(
        '/v1/tokens',
        { method: 'POST', body: JSON.stringify({ identity, roomId, ...extra }) },
        auth.baseUrl,
      );
      if (response.status !== 201)
        throw new Error(`mint failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    join(roomId, body, base = rooms.baseUrl) {
      return fetch(`${base}/v1/rooms/${roomId}/joins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    async close() {
      await tap.close();
      await rooms.close();
      await auth.close();
    },
  };
}
