import type { Counter, ObservableGauge } from '@opentelemetry/api';
import { getMeter } from '@confer/telemetry';

/**
 * What operators watch of recordings on /metrics: how they end (the failure alert reads it),
 * the parts kept (interrupted ones tell of crashes), and how many this replica runs now.
 */
export class RecordingMetrics {
  // Made at first use, when the app is running: a meter taken before the service's meter
  // provider is in place would stay a no-op.
  #instruments?: { ended: Counter; parts: Counter; active: ObservableGauge };

  constructor(private readonly running: () => number) {}

  ended(outcome: 'ready' | 'failed'): void {
    this.#get().ended.add(1, { outcome });
  }

  partKept(interrupted: boolean): void {
    this.#get().parts.add(1, { interrupted: String(interrupted) });
  }

  /** Registers the gauge at start-up, so a scrape sees it before the first recording. */
  start(): void {
    this.#get();
  }

  #get() {
    if (this.#instruments) return this.#instruments;
    const meter = getMeter('@confer/recording');
    const active = meter.createObservableGauge('recording.active', {
      description: 'Recordings this replica runs now',
    });
    active.addCallback((result) => result.observe(this.running()));
    this.#instruments = {
      ended: meter.createCounter('recording.ended', {
        description: 'Recordings that ended, by outcome (ready, failed)',
      }),
      parts: meter.createCounter('recording.parts_kept', {
        description: 'Parts kept, by whether the recorder died during them (interrupted)',
      }),
      active,
    };
    return this.#instruments;
  }
}
