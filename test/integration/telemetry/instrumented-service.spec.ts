import { ChildProcess, spawn } from 'child_process';
import path from 'path';

// A real service process: main.ts imports tracing.ts first, as production does, so
// the OpenTelemetry instrumentation patches http/express before they load. Inside
// Jest that cannot be observed (Jest has its own module loader), hence the child.
const FIXTURES = path.join(__dirname, 'fixtures');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

type LogLine = Record<string, unknown>;

class ServiceProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private buffer = '';
  private constructor(readonly child: ChildProcess) {}

  static start(): ServiceProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', PORT: '0' };
    // The test must not depend on a collector being around (or on the caller's).
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    delete env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    const child = spawn(
      process.execPath,
      ['-r', path.join(FIXTURES, 'register-ts.js'), path.join(FIXTURES, 'main.ts')],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const service = new ServiceProcess(child);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => service.collect(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => service.stderr.push(chunk));
    return service;
  }

  private collect(chunk: string): void {
    this.buffer += chunk;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    for (const part of parts) if (part) this.lines.push(JSON.parse(part) as LogLine);
  }

  /** The first log line matching, once it has come through the pipe (it may trail the HTTP answer). */
  async line(match: (line: LogLine) => boolean, timeoutMs = 2000): Promise<LogLine | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async port(timeoutMs = 20000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const started = this.lines.find(
        (line) => line.context === 'Bootstrap' && typeof line.port === 'number',
      );
      if (started) return started.port as number;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`service did not start:\n${this.stderr.join('')}`);
  }

  stop(): Promise<number | string | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code, signal) => resolve(signal ?? code));
      this.child.kill('SIGTERM');
    });
  }
}

describe('an instrumented service process', () => {
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    service = ServiceProcess.start();
    base = `http://127.0.0.1:${await service.port()}`;
  });

  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  });

  it('logs only JSON lines carrying the service name, start-up included', () => {
    expect(service.lines.length).toBeGreaterThan(3);
    for (const line of service.lines) {
      expect(line).toMatchObject({
        service: 'fixture-service',
        level: expect.any(String),
        time: expect.any(String),
      });
    }
    expect(service.lines.some((line) => line.context === 'NestApplication')).toBe(true);
  });

  it('continues the caller trace (W3C traceparent) in the error body and in logs', async () => {
    const response = await fetch(`${base}/things/missing`, { headers: { traceparent: TRACEPARENT } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'thing_not_found',
        message: 'Thing not found',
        details: { id: 'missing' },
        traceId: TRACE_ID,
      },
    });
    const logged = await service.line(
      (line) => line.msg === 'looking up thing' && line.thingId === 'missing',
    );
    expect(logged).toMatchObject({
      context: 'ThingsController',
      trace_id: TRACE_ID,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('starts a new trace for requests without one', async () => {
    const response = await fetch(`${base}/things/present`);
    expect(await response.json()).toEqual({ id: 'present' });
    const logged = await service.line((line) => line.thingId === 'present');
    expect(logged?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(logged?.trace_id).not.toBe(TRACE_ID);
  });

  it('logs unexpected errors as JSON on stderr with the trace id, and hides them from the caller', async () => {
    const response = await fetch(`${base}/things/boom/now`, { headers: { traceparent: TRACEPARENT } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'internal', message: 'Internal server error', traceId: TRACE_ID },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const errors = service.stderr
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
    expect(errors).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'HttpErrorFilter',
        trace_id: TRACE_ID,
        path: '/things/boom/now',
        error: { name: 'Error', message: 'relation "secrets" does not exist' },
        stack: expect.stringContaining('ThingsController.boom'),
      }),
    ]);
    service.stderr.length = 0;
  });

  it('serves the HTTP server duration histogram per route and status on /metrics', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    const series = (status: number) =>
      new RegExp(
        `http_server_request_duration_count\\{[^}]*http_route="/things/:id"[^}]*http_response_status_code="${status}"[^}]*\\} 1`,
      );
    expect(text).toMatch(series(404));
    expect(text).toMatch(series(200));
    expect(text).toMatch(/target_info\{[^}]*service_name="fixture-service"/);
    // Probes and scrapes are not traffic.
    expect(text).not.toMatch(/http_route="\/metrics"/);
  });

  it('answers the probes', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('shuts down on SIGTERM', async () => {
    const outcome = await service.stop();
    // Nest's shutdown hooks close the app, then re-raise the signal.
    expect(outcome === 'SIGTERM' || outcome === 0).toBe(true);
    expect(service.stderr.join('')).toBe('');
  });
});
