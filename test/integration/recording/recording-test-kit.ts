import { connect, NatsConnection } from 'nats';
import { buildEvent, EventContract, EventOf, RoomStarted, subjectOf } from '@confer/contracts';
import type { RunningAuthService } from '../../support/auth-service.harness';
import { createOrganisation } from '../../support/confer-cli';
import type { RunningRecordingService } from '../../support/recording-service.harness';

// What the storage, failure and retention tests share: organisations with API tokens, rooms
// made live by the rooms service's event on the bus, and recordings started and waited for.

export interface Org {
  orgId: string;
  token: string;
}

export interface RecordingBody {
  id: string;
  roomId: string;
  status: string;
  stopReason: string | null;
  failureReason: string | null;
  deletedAt: string | null;
  startedAt: string;
  parts: {
    partNumber: number;
    status: string;
    durationSeconds: number | null;
    interrupted: boolean;
    hlsUrl: string | null;
    mp4Url: string | null;
  }[];
}

let conference = 20_000_000 + Math.floor(Math.random() * 1_000_000);

export class RecordingTestKit {
  private constructor(
    private readonly auth: RunningAuthService,
    readonly nc: NatsConnection,
  ) {}

  static async open(auth: RunningAuthService): Promise<RecordingTestKit> {
    return new RecordingTestKit(auth, await connect({ servers: auth.natsUrl }));
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }

  async organisation(name: string): Promise<Org> {
    const created = await createOrganisation(this.auth.env, name, ['--rate-limit', '100000']);
    const response = await fetch(`${this.auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${created.apiKey}:${created.apiKeySecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    return {
      orgId: created.orgId,
      token: ((await response.json()) as { access_token: string }).access_token,
    };
  }

  /** The organisation's call to one replica of the recording service. */
  api(service: RunningRecordingService, org: Org, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${service.baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${org.token}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async settings(
    service: RunningRecordingService,
    org: Org,
    settings: Record<string, unknown>,
  ): Promise<void> {
    const response = await this.api(service, org, `/v1/orgs/${org.orgId}/settings/recording`, {
      method: 'PUT',
      body: JSON.stringify(settings),
    });
    if (response.status !== 200) throw new Error(`settings refused: ${await response.text()}`);
  }

  /** A room comes to life (as the rooms service announces it) and the recording service knows. */
  async liveRoom(service: RunningRecordingService, org: Org, roomId: string): Promise<void> {
    await publish(
      this.nc,
      RoomStarted,
      buildEvent(RoomStarted, {
        source: '/confer/rooms',
        orgId: org.orgId,
        roomId,
        data: {
          roomId,
          conferenceNumber: String(++conference),
          startedAt: new Date().toISOString(),
          mediaServer: 'serv0',
        },
      }),
    );
    await until(async () => {
      const [row] = (await service.db.query(`SELECT live FROM rooms WHERE org_id = $1 AND room_id = $2`, [
        org.orgId,
        roomId,
      ])) as { live: boolean }[];
      return row?.live === true;
    });
  }

  async start(service: RunningRecordingService, org: Org, roomId: string): Promise<RecordingBody> {
    const response = await this.api(service, org, `/v1/rooms/${roomId}/recordings`, {
      method: 'POST',
      body: '{}',
    });
    if (response.status !== 201) throw new Error(`start refused: ${await response.text()}`);
    return (await response.json()) as RecordingBody;
  }

  async stop(service: RunningRecordingService, org: Org, id: string): Promise<void> {
    const response = await this.api(service, org, `/v1/recordings/${id}/stop`, {
      method: 'POST',
      body: '{}',
    });
    if (response.status !== 202) throw new Error(`stop refused: ${await response.text()}`);
  }

  async get(service: RunningRecordingService, org: Org, id: string): Promise<RecordingBody> {
    return (await (await this.api(service, org, `/v1/recordings/${id}`)).json()) as RecordingBody;
  }

  /** Waits for the recording to end, ready or failed. */
  async ended(
    service: RunningRecordingService,
    org: Org,
    id: string,
    timeoutMs = 30_000,
  ): Promise<RecordingBody> {
    let body: RecordingBody | undefined;
    await until(async () => {
      body = await this.get(service, org, id);
      return body.status === 'ready' || body.status === 'failed';
    }, timeoutMs);
    return body!;
  }
}

/** A file address is on the public base URL; here the service itself answers it. */
export function served(service: RunningRecordingService, url: string): string {
  const parsed = new URL(url);
  return `${service.baseUrl}${parsed.pathname}${parsed.search}`;
}

export async function publish<C extends EventContract>(
  nc: NatsConnection,
  contract: C,
  event: EventOf<C>,
): Promise<void> {
  await nc.jetstream().publish(subjectOf(contract, event), new TextEncoder().encode(JSON.stringify(event)), {
    msgID: event.id,
  });
}

export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
