import { Static, TSchema } from '@sinclair/typebox';
import { announcementSubject } from '../subjects';

/**
 * An announcement: a service's current state, published on core NATS every few seconds
 * to every listener (no queue group, nothing kept). A listener that misses one waits for
 * the next; one that hears none for a while treats the announcer as gone.
 */
export interface AnnouncementContract<T extends TSchema = TSchema> {
  readonly service: string;
  readonly topic: string;
  readonly version: number;
  readonly summary: string;
  readonly subject: string;
  readonly schema: T;
}

export type AnnouncementOf<A> = A extends AnnouncementContract<infer T> ? Static<T> : never;

export function defineAnnouncement<T extends TSchema>(spec: {
  service: string;
  topic: string;
  version: number;
  summary: string;
  schema: T;
}): AnnouncementContract<T> {
  return { ...spec, subject: announcementSubject(spec.service, spec.topic, spec.version) };
}
