import type { Counter, Histogram } from '@opentelemetry/api';
import { getMeter } from '@confer/telemetry';

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'aborted';

/**
 * What operators watch of deliveries on /metrics: every attempt by outcome (the failure
 * rate alert reads it) and how long receivers take to answer.
 */
export class DeliveryMetrics {
  // Made at the first attempt, when the app is running: a meter taken before the service's
  // meter provider is in place would stay a no-op.
  #instruments: { attempts: Counter; duration: Histogram } | undefined;

  attempted(outcome: AttemptOutcome, seconds?: number): void {
    const { attempts, duration } = (this.#instruments ??= this.#create());
    attempts.add(1, { outcome });
    if (seconds !== undefined) duration.record(seconds, { outcome });
  }

  #create() {
    const meter = getMeter('@confer/webhooks');
    return {
      attempts: meter.createCounter('webhooks.delivery_attempts', {
        description: 'Delivery attempts, by outcome (delivered, retry, failed, gone, aborted)',
      }),
      duration: meter.createHistogram('webhooks.delivery_duration', {
        description: "Time from sending a delivery to the receiver's answer",
        unit: 's',
      }),
    };
  }
}
