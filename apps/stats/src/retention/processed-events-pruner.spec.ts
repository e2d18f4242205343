import { DEFAULT_EVENTS_STREAM, ResolvedBusOptions } from '@confer/bus';
import { loadStatsConfig } from '../config/stats.config';
import { eventIdHorizonMs } from './processed-events-pruner';

const bus = (maxAgeMs: number) =>
  ({ streams: { events: { ...DEFAULT_EVENTS_STREAM, maxAgeMs } } }) as unknown as ResolvedBusOptions;

describe('the horizon of applied event ids', () => {
  it('defaults to 8 days, past the 7-day stream and its duplicate window', () => {
    const config = loadStatsConfig({});
    expect(eventIdHorizonMs(config, bus(DEFAULT_EVENTS_STREAM.maxAgeMs))).toBe(8 * 24 * 3600_000);
  });

  it('refuses a horizon the stream could still redeliver within', () => {
    const config = loadStatsConfig({ STATS_EVENT_ID_RETENTION_HOURS: '168' });
    expect(() => eventIdHorizonMs(config, bus(7 * 24 * 3600_000))).toThrow(/must exceed/);
    expect(() => eventIdHorizonMs(loadStatsConfig({}), bus(10 * 24 * 3600_000))).toThrow(/240\.03 h/);
  });
});
