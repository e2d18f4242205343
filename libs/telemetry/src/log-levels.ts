import type { LogLevel as NestLogLevel } from '@nestjs/common';

/** Level names written in log lines, the usual ones for JSON log pipelines. */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export const LOG_LEVEL_SEVERITY: Readonly<Record<LogLevelName, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** Nest speaks of `log` and `verbose`; operators expect `info` and `trace`. */
export const NEST_TO_LOG_LEVEL: Readonly<Record<NestLogLevel, LogLevelName>> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

export const DEFAULT_LOG_LEVEL: LogLevelName = 'info';

/** Parses LOG_LEVEL, accepting both vocabularies; undefined when unrecognised. */
export function parseLogLevel(value: string | undefined): LogLevelName | undefined {
  if (!value) return undefined;
  const name = value.trim().toLowerCase();
  if (name in LOG_LEVEL_SEVERITY) return name as LogLevelName;
  if (name in NEST_TO_LOG_LEVEL) return NEST_TO_LOG_LEVEL[name as NestLogLevel];
  return undefined;
}
