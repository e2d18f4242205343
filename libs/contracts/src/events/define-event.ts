import { Static, TObject, TSchema } from '@sinclair/typebox';
import { randomUUID } from 'crypto';
import { EventEnvelope, EventEnvelopeSchema } from '../envelope';
import { parseWith } from '../schema';
import { eventSubject } from '../subjects';

/** One call event: its name, the version of its payload and the payload's schema. */
export interface EventContract<TType extends string = string, TData extends TObject = TObject> {
  /** "entity.action", e.g. "peer.joined" */
  readonly type: TType;
  readonly version: number;
  readonly summary: string;
  readonly data: TData;
  readonly envelope: TSchema;
}

export type EventDataOf<C> = C extends EventContract<string, infer D> ? Static<D> : never;
export type EventOf<C> = C extends EventContract<infer T, infer D> ? EventEnvelope<T, Static<D>> : never;

export function defineEvent<TType extends string, TData extends TObject>(spec: {
  type: TType;
  version: number;
  summary: string;
  data: TData;
}): EventContract<TType, TData> {
  return { ...spec, envelope: EventEnvelopeSchema(spec.data) };
}

export interface NewEvent<C extends EventContract> {
  source: string;
  orgId: string;
  roomId?: string;
  subject?: string;
  data: EventDataOf<C>;
  /** Give an id to make a retried publication of the same fact deduplicate. */
  id?: string;
  time?: Date;
}

/** Builds a validated envelope; a producer cannot publish a payload its own contract rejects. */
export function buildEvent<C extends EventContract>(contract: C, spec: NewEvent<C>): EventOf<C> {
  const envelope = {
    specversion: '1.0',
    id: spec.id ?? randomUUID(),
    source: spec.source,
    type: `io.confer.${contract.type}`,
    ...(spec.subject ? { subject: spec.subject } : {}),
    time: (spec.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    schemaversion: contract.version,
    orgid: spec.orgId,
    ...(spec.roomId ? { roomid: spec.roomId } : {}),
    data: spec.data,
  };
  return parseWith(contract.envelope, envelope, `${contract.type}.v${contract.version}`) as EventOf<C>;
}

export function subjectOf(contract: EventContract, event: { orgid: string; roomid?: string }): string {
  return eventSubject({
    orgId: event.orgid,
    roomId: event.roomid,
    type: contract.type,
    version: contract.version,
  });
}

/** Validates a received envelope against its contract (unknown extra fields are kept). */
export function parseEvent<C extends EventContract>(contract: C, raw: unknown): EventOf<C> {
  return parseWith(contract.envelope, raw, `${contract.type}.v${contract.version}`) as EventOf<C>;
}
