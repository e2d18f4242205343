import { StatsErrors } from '../stats.errors';

// ISO-8601 date-times as the Gcore examples write them: 2021-06-21T00:00:00.0Z, offsets allowed.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ROOM_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface Period {
  from: Date;
  to: Date;
}

export function parseInstant(value: unknown, name: string): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value))
    throw StatsErrors.invalidPeriod(undefined, { message: `"${name}" must be an ISO-8601 date-time` });
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw StatsErrors.invalidPeriod(undefined, { message: `"${name}" is not a valid time` });
  return at;
}

/** `from` and `to`, both required, `from` not after `to`. */
export function parsePeriod(from: unknown, to: unknown): Period {
  const period = { from: parseInstant(from, 'from'), to: parseInstant(to, 'to') };
  if (period.from > period.to)
    throw StatsErrors.invalidPeriod(undefined, { message: '"from" is after "to"' });
  return period;
}

export function parseRoomId(value: unknown): string {
  if (typeof value !== 'string' || !ROOM_ID.test(value)) throw StatsErrors.roomIdRequired();
  return value;
}
