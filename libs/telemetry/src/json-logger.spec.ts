import { JsonLogger, LogSink } from './json-logger';
import { getTracer } from './instruments';
import { shutdownTelemetry, startTelemetry } from './start-telemetry';

class Lines implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

function setup(options: ConstructorParameters<typeof JsonLogger>[0] = {}) {
  const stdout = new Lines();
  const stderr = new Lines();
  const logger = new JsonLogger({ service: 'rooms', level: 'trace', stdout, stderr, ...options });
  return { logger, stdout, stderr };
}

describe('JsonLogger', () => {
  afterAll(() => shutdownTelemetry());

  it('writes one JSON object per line with the standard keys', () => {
    const { logger, stdout } = setup();
    logger.log('room created', 'RoomsService');
    expect(stdout.lines).toHaveLength(1);
    expect(stdout.lines[0].endsWith('\n')).toBe(true);
    expect(stdout.lines[0].trim()).not.toContain('\n');
    const [record] = stdout.records();
    expect(record).toEqual({
      time: expect.any(String),
      level: 'info',
      service: 'rooms',
      context: 'RoomsService',
      msg: 'room created',
    });
    expect(new Date(record.time as string).toISOString()).toBe(record.time);
  });

  it('merges an object message into the line as fields', () => {
    const { logger, stdout } = setup();
    logger.log({ msg: 'joined', roomId: 'r1', peerId: 'p1' }, 'Signalling');
    expect(stdout.records()[0]).toMatchObject({
      msg: 'joined',
      roomId: 'r1',
      peerId: 'p1',
      context: 'Signalling',
      level: 'info',
    });
  });

  it('does not let fields overwrite the keys the logger owns', () => {
    const { logger, stdout } = setup();
    logger.warn({ msg: 'careful', level: 'debug', service: 'forged', time: 'yesterday' });
    expect(stdout.records()[0]).toMatchObject({ level: 'warn', service: 'rooms', msg: 'careful' });
    expect(stdout.records()[0].time).not.toBe('yesterday');
  });

  it('writes errors to stderr with Nest call shape error(message, stack, context)', () => {
    const { logger, stdout, stderr } = setup();
    const stack = new Error('boom').stack as string;
    logger.error('request failed', stack, 'HttpErrorFilter');
    expect(stdout.lines).toHaveLength(0);
    expect(stderr.records()[0]).toMatchObject({
      level: 'error',
      msg: 'request failed',
      context: 'HttpErrorFilter',
      stack,
    });
  });

  it('tells a lone stack from a lone context the way Nest does', () => {
    const { logger, stderr } = setup();
    const stack = new Error('boom').stack as string;
    logger.error('with stack', stack);
    logger.error('with context', 'Bootstrap');
    const [first, second] = stderr.records();
    expect(first).toMatchObject({ stack });
    expect(first.context).toBeUndefined();
    expect(second).toMatchObject({ context: 'Bootstrap' });
    expect(second.stack).toBeUndefined();
  });

  it('handles the shape of Nest Logger instances: error(obj, undefined, context)', () => {
    const { logger, stderr } = setup();
    logger.error({ msg: 'oops', path: '/x' }, undefined, 'Filter');
    expect(stderr.records()[0]).toMatchObject({ msg: 'oops', path: '/x', context: 'Filter' });
  });

  it('logs an Error message with its name, message and stack', () => {
    const { logger, stderr } = setup();
    const error = new TypeError('bad thing');
    logger.fatal(error, 'Main');
    expect(stderr.records()[0]).toMatchObject({
      level: 'fatal',
      msg: 'bad thing',
      context: 'Main',
      error: { name: 'TypeError', message: 'bad thing' },
      stack: error.stack,
    });
  });

  it('maps Nest levels to conventional names', () => {
    const { logger, stdout } = setup();
    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    expect(stdout.records().map((r) => r.level)).toEqual(['trace', 'debug', 'info', 'warn']);
  });

  it('drops lines below the threshold', () => {
    const { logger, stdout, stderr } = setup({ level: 'warn' });
    logger.debug('hidden');
    logger.log('hidden');
    logger.warn('shown');
    logger.error('shown');
    expect(stdout.records().map((r) => r.msg)).toEqual(['shown']);
    expect(stderr.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('reads the threshold from LOG_LEVEL, defaulting to info', () => {
    const previous = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = 'debug';
      const debug = setup({ level: undefined });
      debug.logger.debug('shown');
      debug.logger.verbose('hidden');
      expect(debug.stdout.records().map((r) => r.msg)).toEqual(['shown']);

      delete process.env.LOG_LEVEL;
      const info = setup({ level: undefined });
      info.logger.debug('hidden');
      info.logger.log('shown');
      expect(info.stdout.records().map((r) => r.msg)).toEqual(['shown']);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it('honours setLogLevels from Nest', () => {
    const { logger, stdout } = setup();
    logger.setLogLevels(['error', 'warn']);
    logger.log('hidden');
    logger.warn('shown');
    expect(stdout.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('survives circular and bigint fields', () => {
    const { logger, stdout } = setup();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.log({ msg: 'big', count: BigInt(12) });
    logger.log({ msg: 'loop', circular });
    const [big, loop] = stdout.records();
    expect(big.count).toBe('12');
    expect(loop).toMatchObject({ msg: 'loop', log_error: 'unserializable fields' });
  });

  it('adds the active span ids once telemetry is started', () => {
    startTelemetry({ serviceName: 'rooms', env: {} });
    const { logger, stdout } = setup({ service: undefined });
    logger.log('outside');
    let expected: { traceId: string; spanId: string } | undefined;
    getTracer('test').startActiveSpan('work', (span) => {
      expected = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      logger.log('inside');
      span.end();
    });
    const [outside, inside] = stdout.records();
    expect(outside.trace_id).toBeUndefined();
    expect(inside).toMatchObject({
      service: 'rooms',
      trace_id: expected?.traceId,
      span_id: expected?.spanId,
    });
    expect(inside.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
