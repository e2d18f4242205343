import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  it('is ready with no checks', async () => {
    await expect(new ReadinessRegistry().run()).resolves.toEqual({ ready: true, checks: {} });
  });

  it('reports every check, with the failure message of those that fail', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', async () => undefined);
    registry.register('database', async () => {
      throw new Error('connection refused');
    });
    await expect(registry.run()).resolves.toEqual({
      ready: false,
      checks: { nats: 'ok', database: 'connection refused' },
    });
  });

  it('bounds each check by its timeout and runs checks in parallel', async () => {
    const registry = new ReadinessRegistry();
    const hang = () => new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    registry.register('slow-a', hang, { timeoutMs: 50 });
    registry.register('slow-b', hang, { timeoutMs: 50 });
    const started = Date.now();
    const report = await registry.run();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report).toEqual({
      ready: false,
      checks: { 'slow-a': 'timed out after 50 ms', 'slow-b': 'timed out after 50 ms' },
    });
  });

  it('treats a check that throws synchronously as failed', async () => {
    const registry = new ReadinessRegistry();
    registry.register('sync', () => {
      throw new Error('not configured');
    });
    await expect(registry.run()).resolves.toEqual({ ready: false, checks: { sync: 'not configured' } });
  });

  it('replaces a check of the same name and unregisters through the returned function', async () => {
    const registry = new ReadinessRegistry();
    const unregisterOld = registry.register('db', () => Promise.reject(new Error('old')));
    const unregister = registry.register('db', async () => undefined);
    unregisterOld(); // must not remove the newer registration
    expect(await registry.run()).toEqual({ ready: true, checks: { db: 'ok' } });
    unregister();
    expect(registry.names()).toEqual([]);
  });

  it('turns unready when the application starts shutting down', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', async () => undefined);
    registry.beforeApplicationShutdown();
    await expect(registry.run()).resolves.toEqual({
      ready: false,
      checks: { nats: 'ok', shutdown: 'shutting down' },
    });
  });
});
