import { Test, TestingModule } from '@nestjs/testing';
import { ModuleMetadata } from '@nestjs/common';
import {
  DEAD_LETTER_STREAM,
  EVENTS_STREAM,
  EventContract,
  EventOf,
  buildEvent,
  defineEvent,
} from '@confer/contracts';
import { Type } from '@sinclair/typebox';
import { randomBytes } from 'crypto';
import { AckPolicy, JsMsg, NatsConnection, connect } from 'nats';
import { BusModule, BusModuleOptions } from '@confer/bus';

export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** Unique per test file run, so runs never see each other's subjects, consumers or commands. */
export function runId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export const Pinged = defineEvent({
  type: 'bustest.pinged',
  version: 1,
  summary: 'Test event of the bus integration suite.',
  data: Type.Object({ n: Type.Integer() }),
});

export const Ponged = defineEvent({
  type: 'bustest.ponged',
  version: 2,
  summary: 'Second test event type of the bus integration suite.',
  data: Type.Object({ text: Type.String() }),
});

export function pinged(orgId: string, n: number, id?: string): EventOf<typeof Pinged> {
  return buildEvent(Pinged, { source: '/confer/bus-test', orgId, data: { n }, id });
}

export function event<C extends EventContract>(
  contract: C,
  orgId: string,
  data: EventOf<C>['data'],
): EventOf<C> {
  return buildEvent(contract, { source: '/confer/bus-test', orgId, data } as Parameters<
    typeof buildEvent<C>
  >[1]);
}

export async function startBus(
  options: Partial<BusModuleOptions> = {},
  extra: ModuleMetadata = {},
): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      BusModule.forRoot({ service: 'bus-test', url: NATS_URL, ...options }),
      ...(extra.imports ?? []),
    ],
    providers: extra.providers ?? [],
  }).compile();
  await app.init();
  return app;
}

/** A separate connection for the test's own inspection and raw publishing. */
export function observerConnection(): Promise<NatsConnection> {
  return connect({ servers: NATS_URL, name: 'bus-test-observer' });
}

export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(25);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How many messages the stream holds on exactly this subject. */
export async function countOnSubject(nc: NatsConnection, stream: string, subject: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

export async function deadLetterCount(nc: NatsConnection, durable: string): Promise<number> {
  return countOnSubject(nc, DEAD_LETTER_STREAM, `confer.dlq.${durable}`);
}

/** Reads every stored message of a subject through a short-lived consumer. */
export async function readStored(nc: NatsConnection, stream: string, subject: string): Promise<JsMsg[]> {
  const jsm = await nc.jetstreamManager();
  const expected = await countOnSubject(nc, stream, subject);
  if (expected === 0) return [];
  const name = `bustest-reader-${runId()}`;
  await jsm.consumers.add(stream, {
    name,
    filter_subject: subject,
    ack_policy: AckPolicy.None,
    inactive_threshold: 30_000_000_000,
  });
  try {
    const consumer = await nc.jetstream().consumers.get(stream, name);
    const out: JsMsg[] = [];
    const batch = await consumer.fetch({ max_messages: expected, expires: 2000 });
    for await (const m of batch) out.push(m);
    return out;
  } finally {
    await jsm.consumers.delete(stream, name).catch(() => undefined);
  }
}

export async function readDeadLetters(nc: NatsConnection, durable: string): Promise<JsMsg[]> {
  return readStored(nc, DEAD_LETTER_STREAM, `confer.dlq.${durable}`);
}

/** Removes what a test left behind on the shared streams. */
export async function cleanUp(
  nc: NatsConnection,
  opts: { orgId?: string; durables?: string[] },
): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const durable of opts.durables ?? []) {
    await jsm.consumers.delete(EVENTS_STREAM, durable).catch(() => undefined);
    await jsm.streams.purge(DEAD_LETTER_STREAM, { filter: `confer.dlq.${durable}` }).catch(() => undefined);
  }
  if (opts.orgId)
    await jsm.streams.purge(EVENTS_STREAM, { filter: `confer.evt.${opts.orgId}.>` }).catch(() => undefined);
}
