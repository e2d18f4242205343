import { Type, Static, TSchema } from '@sinclair/typebox';

/**
 * Every call event travels in one CloudEvents 1.0 envelope. `schemaversion` is a
 * CloudEvents extension attribute: the version of the `data` schema, also the last
 * token of the subject. Readers must tolerate unknown fields.
 */
export const envelopeAttributes = {
  specversion: Type.Literal('1.0'),
  id: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'Unique event id; also the JetStream message id',
  }),
  source: Type.String({
    minLength: 1,
    description: 'URI-reference of the producing service, e.g. /confer/auth',
  }),
  type: Type.String({
    pattern: '^io\\.confer\\.[a-z0-9-]+\\.[a-z0-9-]+$',
    description: 'io.confer.<entity>.<action>',
  }),
  subject: Type.Optional(
    Type.String({ description: 'What the event is about, e.g. rooms/<roomId>/peers/<peerId>' }),
  ),
  time: Type.String({ format: 'date-time' }),
  datacontenttype: Type.Literal('application/json'),
  schemaversion: Type.Integer({ minimum: 1 }),
  orgid: Type.String({ minLength: 1, description: 'Organisation the event belongs to' }),
  roomid: Type.Optional(Type.String({ description: 'Room the event belongs to, when it concerns a room' })),
  traceparent: Type.Optional(
    Type.String({ description: 'W3C trace context of the operation that caused the event' }),
  ),
};

export const EventEnvelopeSchema = <T extends TSchema>(data: T) =>
  Type.Object({ ...envelopeAttributes, data }, { additionalProperties: true });

export const AnyEventEnvelopeSchema = EventEnvelopeSchema(Type.Unknown());
export type AnyEventEnvelope = Static<typeof AnyEventEnvelopeSchema>;

export interface EventEnvelope<TType extends string = string, TData = unknown> extends Omit<
  AnyEventEnvelope,
  'data'
> {
  type: `io.confer.${TType}`;
  data: TData;
}
