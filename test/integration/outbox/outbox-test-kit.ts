import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { EVENTS_STREAM, ApiKeyCreated, EventContract, EventOf, buildEvent } from '@confer/contracts';
import { BusModule, EventPublisher, EventPublisherPort, PublishResult } from '@confer/bus';
import { DatabaseModule, runMigrations } from '@confer/database';
import { TelemetryModule } from '@confer/telemetry';
import {
  CreateEventOutbox1764100000000,
  OutboxModule,
  OutboxModuleOptions,
  OutboxWriter,
  outboxEntities,
} from '@confer/outbox';
import { randomBytes } from 'crypto';
import { AckPolicy, JsMsg, NatsConnection, connect } from 'nats';
import { Client } from 'pg';
import { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { TEST_DATABASE_URL } from '../../support/test-env';

export { TEST_DATABASE_URL };

/** The state change an event announces, in the tests: a row of the service's own table. */
export class CreateOutboxTestNotes1764100000001 implements MigrationInterface {
  name = 'CreateOutboxTestNotes1764100000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outbox_test_notes (id text PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_test_notes`);
  }
}

const migrations = [CreateEventOutbox1764100000000, CreateOutboxTestNotes1764100000001];

export function runId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function migrateSchema(schema: string): Promise<void> {
  await runMigrations({ url: TEST_DATABASE_URL, schema, entities: outboxEntities, migrations });
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export interface PublishCall {
  eventId: string;
  result?: PublishResult;
  error?: unknown;
}

/**
 * The real publisher, counting every call. JetStream would hide a second publication of an
 * id inside its duplicate window; the calls cannot.
 */
@Injectable()
export class CountingPublisher extends EventPublisher {
  readonly calls: PublishCall[] = [];

  override async publish<C extends EventContract>(contract: C, event: EventOf<C>): Promise<PublishResult> {
    const call: PublishCall = { eventId: event.id };
    this.calls.push(call);
    try {
      call.result = await super.publish(contract, event);
      return call.result;
    } catch (error) {
      call.error = error;
      throw error;
    }
  }

  /** Calls that stored a new message (not failed, not a duplicate). */
  stored(): PublishCall[] {
    return this.calls.filter((c) => c.result && !c.result.duplicate);
  }
}

export interface OutboxTestApp {
  module: TestingModule;
  writer: OutboxWriter;
  dataSource: DataSource;
  publisher: CountingPublisher;
  close(): Promise<void>;
}

export async function startOutboxApp(
  schema: string,
  natsUrl: string,
  outbox: OutboxModuleOptions = {},
): Promise<OutboxTestApp> {
  const module = await Test.createTestingModule({
    imports: [
      TelemetryModule,
      DatabaseModule.forRoot({ url: TEST_DATABASE_URL, schema, entities: outboxEntities, migrations: [] }),
      BusModule.forRoot({
        service: 'outbox-test',
        url: natsUrl,
        connect: { attempts: 3, retryDelayMs: 200 },
        shutdownTimeoutMs: 2000,
      }),
      OutboxModule.forRoot(outbox),
    ],
  })
    // Override the class, not the port: BusModule binds the port as an alias of it.
    .overrideProvider(EventPublisher)
    .useClass(CountingPublisher)
    .compile();
  module.useLogger(['error']);
  await module.init();
  return {
    module,
    writer: module.get(OutboxWriter),
    dataSource: module.get(DataSource),
    publisher: module.get(EventPublisherPort) as CountingPublisher,
    close: () => module.close(),
  };
}

export function apiKeyCreated(orgId: string, n: number): EventOf<typeof ApiKeyCreated> {
  return buildEvent(ApiKeyCreated, {
    source: '/confer/outbox-test',
    orgId,
    data: { orgId, apiKey: `key-${n}` },
  });
}

/** The service's operation: its state change and the event announcing it, in one transaction. */
export async function recordNote(
  app: OutboxTestApp,
  event: EventOf<typeof ApiKeyCreated>,
  inside?: (manager: EntityManager) => Promise<void>,
): Promise<void> {
  await app.dataSource.transaction(async (manager) => {
    await manager.query(`INSERT INTO outbox_test_notes (id) VALUES ($1)`, [event.id]);
    await app.writer.add(manager, ApiKeyCreated, event);
    await inside?.(manager);
  });
}

export async function pendingIds(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(`SELECT event_id FROM event_outbox ORDER BY seq`)) as {
    event_id: string;
  }[];
  return rows.map((r) => r.event_id);
}

export function observe(natsUrl: string): Promise<NatsConnection> {
  // Outlives the outages the tests cause.
  return connect({
    servers: natsUrl,
    name: 'outbox-test-observer',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  });
}

/** How many messages the events stream holds for an organisation. */
export async function countForOrg(nc: NatsConnection, orgId: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: `confer.evt.${orgId}.>` });
  return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
}

/** Every stored message of an organisation, in stream order. */
export async function readForOrg(nc: NatsConnection, orgId: string): Promise<JsMsg[]> {
  const expected = await countForOrg(nc, orgId);
  if (expected === 0) return [];
  const jsm = await nc.jetstreamManager();
  const name = `outbox-reader-${runId()}`;
  await jsm.consumers.add(EVENTS_STREAM, {
    name,
    filter_subject: `confer.evt.${orgId}.>`,
    ack_policy: AckPolicy.None,
    inactive_threshold: 30_000_000_000,
  });
  try {
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, name);
    const out: JsMsg[] = [];
    for (let round = 0; round < 5 && out.length < expected; round++) {
      const batch = await consumer.fetch({ max_messages: expected - out.length, expires: 2000 });
      for await (const m of batch) out.push(m);
    }
    return out;
  } finally {
    await jsm.consumers.delete(EVENTS_STREAM, name).catch(() => undefined);
  }
}

export function idsOf(messages: JsMsg[]): string[] {
  return messages.map((m) => (m.json() as { id: string }).id);
}

export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error; // e.g. the observer still reconnecting after an outage
    }
    await sleep(10);
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
