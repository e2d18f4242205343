import { OUTBOX_DEFAULTS, resolveOutboxOptions } from './outbox.options';

describe('resolveOutboxOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveOutboxOptions()).toEqual({
      ...OUTBOX_DEFAULTS,
      contracts: [],
      readinessMaxLagMs: undefined,
    });
  });

  it('refuses settings that would stall or spin the relay', () => {
    expect(() => resolveOutboxOptions({ batchSize: 0 })).toThrow('batchSize must be a positive integer');
    expect(() => resolveOutboxOptions({ pollIntervalMs: 0.5 })).toThrow('pollIntervalMs');
    expect(() => resolveOutboxOptions({ initialBackoffMs: 500, maxBackoffMs: 100 })).toThrow(
      'maxBackoffMs must be ≥ initialBackoffMs',
    );
    expect(() => resolveOutboxOptions({ readinessMaxLagMs: -1 })).toThrow('readinessMaxLagMs');
  });
});
