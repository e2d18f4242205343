import { ReadinessRegistry } from '@confer/telemetry';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { NatsConnection } from 'nats';
import { Client } from 'pg';
import { TEST_DATABASE_URL, uniqueSchema } from '../../support/test-env';
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

/** Collects on demand, like a Prometheus scrape. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

async function metricValue(reader: MetricReader, name: string): Promise<number | undefined> {
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics) {
    const metric = scope.metrics.find((m) => m.descriptor.name === name);
    if (metric) return metric.dataPoints.reduce((sum, p) => sum + (p.value as number), 0);
  }
  return undefined;
}

async function maxAttempts(app: OutboxTestApp): Promise<number> {
  const [row] = await app.dataSource.query(`SELECT coalesce(max(attempts), 0)::int AS n FROM event_outbox`);
  return row.n;
}

describe('outbox during a NATS outage (real PostgreSQL and NATS)', () => {
  const schema = uniqueSchema('outbox');
  const run = runId();
  const reader = new OnDemandReader();
  const options = {
    pollIntervalMs: 200,
    maxBackoffMs: 1000,
    readinessMaxLagMs: 1500,
    shutdownTimeoutMs: 1500,
  };
  let nats: RestartableNatsServer;
  let app: OutboxTestApp;
  let observer: NatsConnection;

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    nats = await RestartableNatsServer.start();
    await migrateSchema(schema);
    app = await startOutboxApp(schema, nats.url, options);
    observer = await observe(nats.url);
  });

  afterAll(async () => {
    await app?.close();
    await observer?.close();
    await nats?.destroy();
    await dropSchema(schema);
    metrics.disable();
  });

  it('keeps every event while NATS is down and publishes each exactly once, in order, when it returns', async () => {
    const orgId = `outbox-${run}-outage`;
    const before = apiKeyCreated(orgId, 0);
    await recordNote(app, before);
    await waitFor('the first event', async () => (await countForOrg(observer, orgId)) === 1);

    await nats.stop();
    const during = [1, 2, 3, 4, 5].map((n) => apiKeyCreated(orgId, n));
    for (const event of during) {
      const startedAt = Date.now();
      await recordNote(app, event);
      // The service's own writes do not wait for the bus.
      expect(Date.now() - startedAt).toBeLessThan(1000);
    }

    await waitFor('a failed attempt on the head row', async () => (await maxAttempts(app)) >= 1, 20_000);
    expect(await pendingIds(app.dataSource)).toEqual(during.map((e) => e.id));
    const [head] = await app.dataSource.query(`SELECT last_error FROM event_outbox ORDER BY seq LIMIT 1`);
    expect(head.last_error).toContain(during[0].id);
    expect(await metricValue(reader, 'outbox.pending')).toBe(5);
    expect(await metricValue(reader, 'outbox.oldest_pending_age')).toBeGreaterThan(0);

    const readiness = app.module.get(ReadinessRegistry);
    await waitFor(
      'the outbox check to fail on lag',
      async () => (await readiness.run()).checks['outbox']?.includes('5 event(s) waiting') ?? false,
      10_000,
    );

    await nats.resume();
    await waitFor(
      'the backlog to drain',
      async () => (await pendingIds(app.dataSource)).length === 0,
      30_000,
    );

    const expected = [before, ...during].map((e) => e.id);
    expect(idsOf(await readForOrg(observer, orgId))).toEqual(expected);
    expect(app.publisher.stored().map((c) => c.eventId)).toEqual(expected);
    // It did retry: at least the head row failed while NATS was away.
    expect(app.publisher.calls.filter((c) => c.error && c.eventId === during[0].id).length).toBeGreaterThan(
      0,
    );
    expect((await readiness.run()).checks['outbox']).toBe('ok');
    expect(await metricValue(reader, 'outbox.pending')).toBe(0);
    expect(await metricValue(reader, 'outbox.published')).toBe(6);
  }, 90_000);

  it('shuts down cleanly with work pending, and the next start publishes it', async () => {
    const orgId = `outbox-${run}-shutdown`;
    await nats.stop();
    const events = [1, 2, 3].map((n) => apiKeyCreated(orgId, n));
    for (const event of events) await recordNote(app, event);
    await waitFor('a failed attempt', async () => (await maxAttempts(app)) >= 1, 20_000);

    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const listenersOfSchema = async () =>
        (
          await client.query(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'confer-outbox-listener' AND query LIKE $1`,
            [`%event_outbox.${schema}%`],
          )
        ).rows;
      expect(await listenersOfSchema()).toHaveLength(1);

      const startedAt = Date.now();
      await app.close();
      // Bounded: the relay's wait for its batch, then the bus's drain timeout.
      expect(Date.now() - startedAt).toBeLessThan(options.shutdownTimeoutMs + 2000 + 1000);

      expect(await listenersOfSchema()).toEqual([]);
      const pending = await client.query(`SELECT event_id FROM ${schema}.event_outbox ORDER BY seq`);
      expect(pending.rows.map((r: { event_id: string }) => r.event_id)).toEqual(events.map((e) => e.id));
    } finally {
      await client.end();
    }

    await nats.resume();
    app = await startOutboxApp(schema, nats.url, options);
    await waitFor(
      'the next start to publish',
      async () => (await countForOrg(observer, orgId)) === 3,
      15_000,
    );
    expect(idsOf(await readForOrg(observer, orgId))).toEqual(events.map((e) => e.id));
    await waitFor('the queue to empty', async () => (await pendingIds(app.dataSource)).length === 0);
  }, 90_000);
});
