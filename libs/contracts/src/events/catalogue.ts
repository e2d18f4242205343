import { EventContract } from './define-event';
import * as auth from './auth.events';

/** Every event any service publishes. The AsyncAPI document is generated from this list. */
export const eventCatalogue: readonly EventContract[] = [...Object.values(auth)];
