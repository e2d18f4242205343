import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import { currentTraceIds } from './instruments';
import {
  DEFAULT_LOG_LEVEL,
  LOG_LEVEL_SEVERITY,
  LogLevelName,
  NEST_TO_LOG_LEVEL,
  parseLogLevel,
} from './log-levels';
import { telemetryServiceName } from './start-telemetry';

/** Where lines go; process.stdout/stderr by default, an array in tests. */
export interface LogSink {
  write(line: string): unknown;
}

export interface JsonLoggerOptions {
  /** Defaults to the name given to startTelemetry, then OTEL_SERVICE_NAME. */
  service?: string;
  /** Defaults to LOG_LEVEL, then `info`. */
  level?: LogLevelName;
  stdout?: LogSink;
  stderr?: LogSink;
}

type Fields = Record<string, unknown>;

// Keys the logger owns; a field of the same name must not forge them.
const RESERVED = new Set(['time', 'level', 'service', 'context', 'msg', 'trace_id', 'span_id']);
// Nest's own heuristic (ConsoleLogger) for telling a stack from a context name.
const STACK_PATTERN = /^(.)+\n\s+at .+:\d+:\d+/;

function errorFields(error: Error): Fields {
  return { error: { name: error.name, message: error.message }, stack: error.stack };
}

function toJson(record: Fields): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
      return value;
    });
  } catch {
    // A circular field must not cost us the line itself.
    return JSON.stringify({
      time: record.time,
      level: record.level,
      service: record.service,
      context: record.context,
      msg: record.msg,
      log_error: 'unserializable fields',
    });
  }
}

/**
 * Nest `LoggerService` writing one JSON object per line: stdout for everything
 * below `error`, stderr from `error` up. The active span's ids are added so log
 * lines can be joined to traces.
 */
export class JsonLogger implements LoggerService {
  private readonly service: string;
  private readonly stdout: LogSink;
  private readonly stderr: LogSink;
  private minimum: number;
  private enabled: ReadonlySet<LogLevelName> | undefined;

  constructor(options: JsonLoggerOptions = {}) {
    this.service = options.service ?? telemetryServiceName() ?? 'unknown';
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.minimum =
      LOG_LEVEL_SEVERITY[options.level ?? parseLogLevel(process.env.LOG_LEVEL) ?? DEFAULT_LOG_LEVEL];
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  info(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  /** Nest calls `error(message, stack?, context?)`; a lone string may be either. */
  error(message: unknown, ...params: unknown[]): void {
    this.writeWithStack('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.writeWithStack('fatal', message, params);
  }

  /** Called by Nest when the app is created with `logger: [...levels]`. */
  setLogLevels(levels: NestLogLevel[]): void {
    this.enabled = new Set(levels.map((level) => NEST_TO_LOG_LEVEL[level]));
  }

  isLevelEnabled(level: LogLevelName): boolean {
    return this.enabled ? this.enabled.has(level) : LOG_LEVEL_SEVERITY[level] >= this.minimum;
  }

  private writeWithStack(level: LogLevelName, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    let context: string | undefined;
    let stack: string | undefined;
    const rest = [...params];
    const last = rest[rest.length - 1];
    if (rest.length >= 2 && (typeof last === 'string' || last === undefined)) {
      context = rest.pop() as string | undefined;
      const candidate = rest.pop();
      if (typeof candidate === 'string') stack = candidate;
      else if (candidate !== undefined) rest.push(candidate);
    } else if (rest.length === 1 && typeof last === 'string') {
      rest.pop();
      if (STACK_PATTERN.test(last)) stack = last;
      else context = last;
    }
    this.emit(level, message, context, rest, stack);
  }

  private write(level: LogLevelName, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    this.emit(level, message, context, rest);
  }

  private emit(
    level: LogLevelName,
    message: unknown,
    context: string | undefined,
    extra: unknown[],
    stack?: string,
  ): void {
    const record: Fields = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      msg: undefined,
    };
    const ids = currentTraceIds();
    if (ids) {
      record.trace_id = ids.traceId;
      record.span_id = ids.spanId;
    }
    const fields: Fields = {};
    if (message instanceof Error) {
      record.msg = message.message;
      Object.assign(fields, errorFields(message));
    } else if (message !== null && typeof message === 'object') {
      const object = message as Fields;
      record.msg = object.msg ?? object.message;
      Object.assign(fields, object);
    } else {
      record.msg = message === undefined ? '' : String(message);
    }
    for (const param of extra) {
      if (param instanceof Error) Object.assign(fields, errorFields(param));
      else if (param !== null && typeof param === 'object') Object.assign(fields, param);
    }
    if (stack !== undefined) fields.stack = stack;
    for (const [key, value] of Object.entries(fields)) {
      if (!RESERVED.has(key) && !(key === 'message' && record.msg === value)) record[key] = value;
    }
    const line = toJson(record) + '\n';
    (LOG_LEVEL_SEVERITY[level] >= LOG_LEVEL_SEVERITY.error ? this.stderr : this.stdout).write(line);
  }
}
