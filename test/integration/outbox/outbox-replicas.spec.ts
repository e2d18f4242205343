import { NatsConnection } from 'nats';
import { uniqueSchema } from '../../support/test-env';
import { RestartableNatsServer } from './restartable-nats-server';
import {
  OutboxTestApp,
  apiKeyCreated,
  countForOrg,
  dropSchema,
  idsOf,
  migrateSchema,
  observe,
  pendingIds,
  readForOrg,
  recordNote,
  runId,
  startOutboxApp,
  waitFor,
} from './outbox-test-kit';

describe('two replicas relaying one outbox (real PostgreSQL and NATS)', () => {
  const schema = uniqueSchema('outbox');
  const orgId = `outbox-${runId()}-replicas`;
  let nats: RestartableNatsServer;
  let replicas: OutboxTestApp[] = [];
  let observer: NatsConnection;

  beforeAll(async () => {
    nats = await RestartableNatsServer.start();
    await migrateSchema(schema);
    // Small batches and a fast poll, so the replicas contend for the queue as often as possible.
    const options = { pollIntervalMs: 20, batchSize: 5 };
    replicas = [
      await startOutboxApp(schema, nats.url, options),
      await startOutboxApp(schema, nats.url, options),
    ];
    observer = await observe(nats.url);
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await observer?.close();
    await nats?.destroy();
    await dropSchema(schema);
  });

  it('publishes every event exactly once between them, in commit order', async () => {
    const perRound = 200;
    const events: ReturnType<typeof apiKeyCreated>[] = [];
    const lanes: string[][] = Array.from({ length: 10 }, () => []);
    // Both replicas write concurrently (as both serve requests): 10 lanes, each committing
    // its events one after another, so within a lane each event is committed before the next.
    // Rounds go on until both replicas have relayed some (about half each in practice; on a
    // loaded machine one can keep the relay lock for a whole round), so that the counts below
    // really test the lock between them.
    for (let round = 0; round < 5; round += 1) {
      const batch = Array.from({ length: perRound }, (_, n) => apiKeyCreated(orgId, round * perRound + n));
      events.push(...batch);
      await Promise.all(
        lanes.map(async (lane, l) => {
          for (let n = l; n < perRound; n += lanes.length) {
            await recordNote(replicas[n % 2], batch[n]);
            lane.push(batch[n].id);
          }
        }),
      );
      await waitFor(
        'the queue to drain',
        async () => (await pendingIds(replicas[0].dataSource)).length === 0,
        20_000,
      );
      if (replicas.every((replica) => replica.publisher.calls.length > 0)) break;
    }
    const total = events.length;
    await waitFor('every event on the stream', async () => (await countForOrg(observer, orgId)) === total);

    const onStream = idsOf(await readForOrg(observer, orgId));
    expect(onStream).toHaveLength(total);
    expect(new Set(onStream).size).toBe(total);
    expect(new Set(onStream)).toEqual(new Set(events.map((e) => e.id)));
    // An event committed after another is published after it, whichever replica relays either.
    for (const lane of lanes) expect(onStream.filter((id) => lane.includes(id))).toEqual(lane);

    // JetStream would hide a second publication inside its duplicate window; the calls do not.
    const calls = replicas.flatMap((r) => r.publisher.calls);
    expect(calls.filter((c) => c.error)).toEqual([]);
    expect(calls).toHaveLength(total);
    expect(new Set(calls.map((c) => c.eventId)).size).toBe(total);
    expect(calls.every((c) => c.result?.duplicate === false)).toBe(true);
    for (const replica of replicas) expect(replica.publisher.calls.length).toBeGreaterThan(0);
  }, 120_000);
});
