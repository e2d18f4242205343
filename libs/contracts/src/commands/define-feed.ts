import type { TSchema } from '@sinclair/typebox';

/**
 * A feed: state published whole on core NATS to a subject chosen per session or per room
 * (not one fixed subject, unlike an announcement), repeated so that a lost message is healed
 * by the next. Documented in the AsyncAPI file with its subject's parameters.
 */
export interface FeedContract<T extends TSchema = TSchema> {
  /** The AsyncAPI message name; the channel is `<name>Feed`'s. */
  readonly message: string;
  readonly channel: string;
  /** The subject, its variable parts in braces. */
  readonly address: string;
  readonly parameters: Record<string, { description: string }>;
  readonly summary: string;
  /** What a receiver does with it (the AsyncAPI operation's summary). */
  readonly receivedBy: string;
  readonly schema: T;
}
