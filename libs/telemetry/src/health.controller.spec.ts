import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness.registry';
import { MetricsController } from './metrics.controller';

class FakeResponse {
  statusCode = 200;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
}

describe('HealthController', () => {
  it('is always live', () => {
    expect(new HealthController(new ReadinessRegistry()).healthz()).toEqual({ status: 'ok' });
  });

  it('answers 200 ready when every check passes', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', async () => undefined);
    const response = new FakeResponse();
    await expect(new HealthController(registry).readyz(response)).resolves.toEqual({
      status: 'ready',
      checks: { nats: 'ok' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 503 not_ready naming the failing dependency', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', async () => undefined);
    registry.register('database', () => Promise.reject(new Error('connection refused')));
    const response = new FakeResponse();
    await expect(new HealthController(registry).readyz(response)).resolves.toEqual({
      status: 'not_ready',
      checks: { nats: 'ok', database: 'connection refused' },
    });
    expect(response.statusCode).toBe(503);
  });
});

describe('MetricsController', () => {
  it('answers 503 when telemetry was not started, so the scrape target shows as down', async () => {
    const response = new FakeResponse();
    const body = await new MetricsController().metrics(response);
    expect(response.statusCode).toBe(503);
    expect(body).toContain('telemetry not started');
  });
});
