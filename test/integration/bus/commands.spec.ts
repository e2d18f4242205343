import { defineCommand } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { Type } from '@sinclair/typebox';
import { NatsConnection } from 'nats';
import {
  BusHealth,
  CommandClient,
  CommandFailed,
  CommandRejection,
  CommandReplyInvalid,
  CommandRequestInvalid,
  CommandServer,
  CommandTimeout,
  CommandUnavailable,
} from '@confer/bus';
import { observerConnection, runId, sleep, startBus } from './bus-test-kit';

describe('CommandClient and CommandServer (real NATS)', () => {
  const service = `bustest-${runId()}`;
  const Add = defineCommand({
    service,
    name: 'numbers.add',
    summary: 'Adds two numbers (test command).',
    request: Type.Object({ a: Type.Integer(), b: Type.Integer(), delayMs: Type.Optional(Type.Integer()) }),
    reply: Type.Object({ sum: Type.Integer() }),
  });
  // Same subject, looser request schema: lets a request reach the server that the server must refuse.
  const AddLoose = defineCommand({ ...Add, request: Type.Object({ a: Type.Unknown(), b: Type.Unknown() }) });
  const Broken = defineCommand({
    service,
    name: 'numbers.broken',
    summary: 'Replies something that breaks its own reply schema.',
    request: Type.Object({}),
    reply: Type.Object({ sum: Type.Integer() }),
  });
  const Unserved = defineCommand({
    service,
    name: 'numbers.unserved',
    summary: 'Nobody serves it.',
    request: Add.request,
    reply: Add.reply,
  });

  let app: TestingModule;
  let client: CommandClient;
  let observer: NatsConnection;
  let handled = 0;

  beforeAll(async () => {
    app = await startBus({ service });
    client = app.get(CommandClient);
    observer = await observerConnection();
    const server = app.get(CommandServer);
    server.handle(Add, async ({ a, b, delayMs }, ctx) => {
      handled++;
      expect(ctx.subject).toBe(Add.subject);
      if (delayMs) await sleep(delayMs);
      if (a < 0) throw new CommandRejection('negative_number', 'a must not be negative');
      if (a === 7) throw Object.assign(new Error('seven is unlucky'), { code: 'unlucky' });
      if (a === 13)
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
      if (a === 666) throw new Error('bug');
      return { sum: a + b };
    });
    server.handle(Broken, async () => ({ sum: 'many' }) as unknown as { sum: number });
  });

  afterAll(async () => {
    await app.close();
    await observer.close();
  });

  it('answers a typed request', async () => {
    const reply = await client.request(Add, { a: 2, b: 3 });
    expect(reply).toEqual({ sum: 5 });
  });

  it('refuses an invalid request before sending it', async () => {
    const before = handled;
    const err = await client.request(Add, { a: 'two', b: 3 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandRequestInvalid);
    expect(err).toBeInstanceOf(CommandFailed);
    expect((err as CommandFailed).code).toBe('invalid_request');
    expect((err as CommandRequestInvalid).problems[0]).toMatch(/^\/a: /);
    expect(handled).toBe(before);
  });

  it('makes the server refuse an invalid request with invalid_request', async () => {
    const err = await client.request(AddLoose, { a: 'two', b: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailed);
    expect(err).not.toBeInstanceOf(CommandRequestInvalid);
    expect((err as CommandFailed).code).toBe('invalid_request');
    expect((err as CommandFailed).remoteMessage).toMatch(/^\/a: /);

    const raw = await observer.request(Add.subject, new TextEncoder().encode('not json'), { timeout: 2000 });
    expect(raw.json()).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/not JSON/) },
    });
  });

  it('carries a handler error code back as CommandFailed', async () => {
    const rejected = await client.request(Add, { a: -1, b: 1 }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(CommandFailed);
    expect(rejected).toMatchObject({
      code: 'negative_number',
      remoteMessage: 'a must not be negative',
      subject: Add.subject,
    });

    const coded = await client.request(Add, { a: 7, b: 1 }).catch((e: unknown) => e);
    expect(coded).toMatchObject({ code: 'unlucky', remoteMessage: 'seven is unlucky' });
  });

  it('hides unexpected and system errors behind internal', async () => {
    for (const a of [13, 666]) {
      const err = await client.request(Add, { a, b: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommandFailed);
      expect(err).toMatchObject({ code: 'internal', remoteMessage: 'internal error' });
    }
  });

  it('times out with CommandTimeout', async () => {
    const err = await client
      .request(Add, { a: 1, b: 1, delayMs: 500 }, { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandTimeout);
    expect(err).toMatchObject({ subject: Add.subject, timeoutMs: 100 });
  });

  it('reports a command nobody serves as CommandUnavailable', async () => {
    const started = Date.now();
    const err = await client.request(Unserved, { a: 1, b: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandUnavailable);
    expect(err).toMatchObject({ subject: Unserved.subject });
    expect(Date.now() - started).toBeLessThan(1000); // no responders is immediate, not a timeout
  });

  it('rejects a reply that breaks the reply schema', async () => {
    const err = await client.request(Broken, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandReplyInvalid);
    expect((err as CommandReplyInvalid).problems[0]).toMatch(/^\/sum: /);
  });

  it('shares requests across replicas through the service queue group', async () => {
    const replica = await startBus({ service });
    let replicaHandled = 0;
    replica.get(CommandServer).handle(Add, async ({ a, b }) => {
      replicaHandled++;
      return { sum: a + b };
    });
    // A readiness check round-trips to the server, so the new subscription is in place after it.
    await replica.get(BusHealth).check();
    try {
      const before = handled;
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) => client.request(Add, { a: 100 + i, b: 1 })),
      );
      expect(replies.map((r) => r.sum)).toEqual(Array.from({ length: 100 }, (_, i) => 101 + i));
      // Every request answered exactly once, and both replicas took a share.
      expect(handled - before + replicaHandled).toBe(100);
      expect(replicaHandled).toBeGreaterThan(0);
      expect(handled - before).toBeGreaterThan(0);
    } finally {
      await replica.close();
    }
  });
});
