import { EventContract } from './define-event';
import * as auth from './auth.events';
import * as media from './media.events';
import * as recording from './recording.events';
import * as room from './room.events';
import * as stats from './stats.events';
import * as webhook from './webhook.events';

// The event modules also export enums (reasons, actions); keep only the contracts.
const contractsOf = (module: Record<string, unknown>): EventContract[] =>
  Object.values(module).filter(
    (value): value is EventContract => typeof value === 'object' && value !== null && 'envelope' in value,
  );

/** Every event any service publishes. The AsyncAPI document is generated from this list. */
export const eventCatalogue: readonly EventContract[] = [
  ...contractsOf(auth),
  ...contractsOf(room),
  ...contractsOf(media),
  ...contractsOf(stats),
  ...contractsOf(webhook),
  ...contractsOf(recording),
];
