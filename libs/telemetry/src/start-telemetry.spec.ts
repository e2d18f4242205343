import { currentTraceIds, getMeter, getTracer } from './instruments';
import { renderPrometheusMetrics } from './prometheus-metrics';
import {
  instrumentationsFor,
  isTelemetryStarted,
  shutdownTelemetry,
  startTelemetry,
  telemetryServiceName,
} from './start-telemetry';
import { getTelemetryState } from './telemetry-state';

describe('startTelemetry', () => {
  afterAll(() => shutdownTelemetry());

  it('renders nothing before it is started', async () => {
    expect(isTelemetryStarted()).toBe(false);
    await expect(renderPrometheusMetrics()).resolves.toBeUndefined();
  });

  it('starts once per process', () => {
    startTelemetry({ serviceName: 'rooms', serviceVersion: '1.2.3', env: {} });
    const first = getTelemetryState();
    startTelemetry({ serviceName: 'other', env: {} });
    expect(getTelemetryState()).toBe(first);
    expect(telemetryServiceName()).toBe('rooms');
  });

  it('exports metrics recorded through getMeter in Prometheus text, with the service name', async () => {
    getMeter('rooms-test')
      .createCounter('rooms_created', { description: 'Rooms created' })
      .add(3, { region: 'eu' });
    const text = await renderPrometheusMetrics();
    expect(text).toContain('# TYPE rooms_created_total counter');
    expect(text).toMatch(/rooms_created_total\{[^}]*region="eu"[^}]*\} 3/);
    expect(text).toMatch(/target_info\{[^}]*service_name="rooms"/);
    expect(text).toMatch(/target_info\{[^}]*service_version="1.2.3"/);
  });

  it('creates real spans without an exporter, so trace ids exist', () => {
    expect(currentTraceIds()).toBeUndefined();
    const ids = getTracer('test').startActiveSpan('work', (span) => {
      const inside = currentTraceIds();
      span.end();
      return inside;
    });
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ids?.traceId).not.toMatch(/^0+$/);
  });

  it('shuts down idempotently', async () => {
    await shutdownTelemetry();
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
  });

  it('starts afresh after a shutdown, its global providers released', async () => {
    startTelemetry({ serviceName: 'again', env: {} });
    expect(telemetryServiceName()).toBe('again');
    getMeter('again-test').createCounter('restarts').add(1);
    expect(await renderPrometheusMetrics()).toMatch(/restarts_total\{[^}]*\} 1/);
    await shutdownTelemetry();
    expect(isTelemetryStarted()).toBe(false);
  });

  it('instruments http, express and pg unless a service leaves express or pg out', () => {
    const names = (options: Parameters<typeof instrumentationsFor>[0]) =>
      instrumentationsFor(options).map((i) => i.instrumentationName);
    expect(names({})).toEqual([
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-pg',
    ]);
    expect(names({ instrument: { express: false } })).toEqual([
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-pg',
    ]);
    expect(names({ instrument: { pg: false, express: false } })).toEqual([
      '@opentelemetry/instrumentation-http',
    ]);
  });
});
