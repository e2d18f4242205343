import {
  AckPolicy,
  ConsumerConfig,
  ConsumerInfo,
  ConsumerUpdateConfig,
  DeliverPolicy,
  JetStreamManager,
  NatsConnection,
  ReplayPolicy,
  nanos,
} from 'nats';
import { BusError, describe } from './bus.errors';
import { JsErrCode, jsErrCode } from './jetstream-errors';

export interface DurableConsumerSettings {
  stream: string;
  durable: string;
  filterSubjects: string[];
  ackWaitMs: number;
  maxAckPending: number;
  deliverPolicy: 'all' | 'new';
  description?: string;
}

/**
 * The server-side consumer configuration. `max_deliver` is unlimited on purpose: the
 * library counts deliveries itself and dead-letters at the limit. A server-side limit
 * would silently drop a message whose last attempt died with the process.
 */
export function consumerConfigOf(s: DurableConsumerSettings): Partial<ConsumerConfig> {
  const single = s.filterSubjects.length === 1;
  return {
    durable_name: s.durable,
    description: s.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: s.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(s.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: s.maxAckPending,
    // Exactly one of the two may be set; the other is sent as undefined so an update clears it.
    filter_subject: single ? s.filterSubjects[0] : undefined,
    filter_subjects: single ? undefined : [...s.filterSubjects],
  };
}

/** Creates the durable consumer or brings its settings up to date; safe to run from every replica. */
export async function ensureConsumer(
  nc: NatsConnection,
  jsm: JetStreamManager,
  s: DurableConsumerSettings,
): Promise<ConsumerInfo> {
  if (s.filterSubjects.length === 0)
    throw new BusError(`Consumer ${s.durable}: filterSubjects must not be empty`);
  if (s.filterSubjects.length > 1 && !serverAtLeast(nc.info?.version, [2, 10, 0])) {
    throw new BusError(
      `Consumer ${s.durable}: several filter subjects need NATS server 2.10 or newer (connected to ${nc.info?.version}); ` +
        'use one wildcard filter subject or upgrade the server',
    );
  }
  const config = consumerConfigOf(s);
  try {
    const existing = await infoOrNull(jsm, s.stream, s.durable);
    if (existing) return await update(jsm, s, config);
    try {
      return await jsm.consumers.add(s.stream, config);
    } catch (err) {
      const code = jsErrCode(err);
      if (code !== JsErrCode.ConsumerAlreadyExists && code !== JsErrCode.ConsumerNameExists) throw err;
      // Another replica created it first.
      return await update(jsm, s, config);
    }
  } catch (err) {
    if (err instanceof BusError) throw err;
    throw new BusError(`Cannot set up consumer ${s.durable} on stream ${s.stream}: ${describe(err)}`, {
      cause: err,
    });
  }
}

function update(
  jsm: JetStreamManager,
  s: DurableConsumerSettings,
  config: Partial<ConsumerConfig>,
): Promise<ConsumerInfo> {
  // Only these can change on a live consumer; deliver_policy stays what it was created with.
  const { description, ack_wait, max_deliver, max_ack_pending, filter_subject, filter_subjects } = config;
  const changes: Partial<ConsumerUpdateConfig> = {
    description,
    ack_wait,
    max_deliver,
    max_ack_pending,
    filter_subject,
    filter_subjects,
  };
  return jsm.consumers.update(s.stream, s.durable, changes);
}

export function serverAtLeast(version: string | undefined, min: [number, number, number]): boolean {
  const parts = (version ?? '0.0.0').split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
}

async function infoOrNull(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (jsErrCode(err) === JsErrCode.ConsumerNotFound) return null;
    throw err;
  }
}
