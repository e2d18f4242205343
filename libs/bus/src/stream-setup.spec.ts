import { StreamConfig } from 'nats';
import { DEFAULT_EVENTS_STREAM } from './bus.options';
import { streamConfigOf, streamDrift } from './stream-setup';

describe('stream setup', () => {
  const desired = streamConfigOf(DEFAULT_EVENTS_STREAM);

  it('turns settings into a limits-retention JetStream config', () => {
    expect(desired).toMatchObject({
      name: 'CONFER_EVENTS',
      subjects: ['confer.evt.>'],
      retention: 'limits',
      storage: 'file',
      discard: 'old',
      duplicate_window: 120_000_000_000,
      max_age: 7 * 24 * 3600 * 1e9,
    });
  });

  it('finds no drift in a stream created from the same settings', () => {
    expect(streamDrift({ ...desired } as StreamConfig, desired)).toEqual([]);
  });

  it('names the settings that differ', () => {
    const existing = { ...desired, subjects: ['confer.evt.>', 'other.>'], max_age: 1 } as StreamConfig;
    expect(streamDrift(existing, desired)).toEqual(['subjects', 'max_age']);
  });
});
