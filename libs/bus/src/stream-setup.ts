import { Logger } from '@nestjs/common';
import {
  DiscardPolicy,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
  StreamConfig,
  StreamInfo,
  nanos,
} from 'nats';
import { BusError, describe } from './bus.errors';
import { StreamSettings } from './bus.options';
import { JsErrCode, jsErrCode } from './jetstream-errors';

const logger = new Logger('Bus');

export function streamConfigOf(s: StreamSettings): Partial<StreamConfig> {
  return {
    name: s.name,
    subjects: [...s.subjects],
    retention: RetentionPolicy.Limits,
    storage: s.storage === 'memory' ? StorageType.Memory : StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(s.maxAgeMs),
    duplicate_window: nanos(s.duplicateWindowMs),
    num_replicas: s.replicas,
    max_bytes: s.maxBytes,
  };
}

/** The settings an existing stream differs on; only fields JetStream lets us update. */
export function streamDrift(existing: StreamConfig, desired: Partial<StreamConfig>): (keyof StreamConfig)[] {
  const drift: (keyof StreamConfig)[] = [];
  const sameSubjects =
    existing.subjects.length === desired.subjects?.length &&
    desired.subjects.every((s) => existing.subjects.includes(s));
  if (!sameSubjects) drift.push('subjects');
  for (const key of ['max_age', 'duplicate_window', 'num_replicas', 'max_bytes', 'discard'] as const) {
    if (existing[key] !== desired[key]) drift.push(key);
  }
  return drift;
}

/**
 * Creates each stream, or brings an existing one to the desired settings. Every replica of
 * every service runs this at boot, so it must be idempotent and tolerate losing a creation race.
 */
export async function ensureStreams(jsm: JetStreamManager, streams: StreamSettings[]): Promise<void> {
  for (const settings of streams) {
    try {
      await ensureStream(jsm, streamConfigOf(settings));
    } catch (err) {
      throw new BusError(
        `Cannot set up JetStream stream ${settings.name} (${settings.subjects.join(', ')}): ${describe(err)}`,
        {
          cause: err,
        },
      );
    }
  }
}

async function ensureStream(jsm: JetStreamManager, desired: Partial<StreamConfig>): Promise<StreamInfo> {
  const name = desired.name as string;
  const existing = await infoOrNull(jsm, name);
  if (!existing) {
    try {
      return await jsm.streams.add(desired);
    } catch (err) {
      if (jsErrCode(err) !== JsErrCode.StreamNameInUse) throw err;
      // Another replica created it first; fall through to reconcile with what it made.
    }
  }
  const current = existing ?? (await jsm.streams.info(name));
  if (current.config.storage !== desired.storage) {
    // Storage cannot change in place; moving it is an operator's migration, not a boot step.
    logger.warn({
      message: 'stream storage differs from the configured one; leaving it',
      stream: name,
      storage: current.config.storage,
    });
  }
  const drift = streamDrift(current.config, desired);
  if (drift.length === 0) return current;
  logger.log({ message: 'updating stream settings', stream: name, fields: drift });
  const { subjects, max_age, duplicate_window, num_replicas, max_bytes, discard } = desired;
  return jsm.streams.update(name, { subjects, max_age, duplicate_window, num_replicas, max_bytes, discard });
}

async function infoOrNull(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (jsErrCode(err) === JsErrCode.StreamNotFound) return null;
    throw err;
  }
}
