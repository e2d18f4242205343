import { Static, TSchema, Type } from '@sinclair/typebox';
import { commandSubject } from '../subjects';

/** A request/reply command between services: one subject, one request schema, one reply schema. */
export interface CommandContract<TReq extends TSchema = TSchema, TRep extends TSchema = TSchema> {
  readonly service: string;
  readonly name: string;
  readonly summary: string;
  readonly subject: string;
  readonly request: TReq;
  readonly reply: TRep;
  /**
   * `queue` (default): one replica of the service answers each request. `holder`: every
   * replica hears it and only the one holding what it is about answers (e.g. the media
   * process carrying a room); nobody answering means nobody holds it.
   */
  readonly answeredBy?: 'queue' | 'holder';
}

export type RequestOf<C> = C extends CommandContract<infer R, TSchema> ? Static<R> : never;
export type ReplyOf<C> = C extends CommandContract<TSchema, infer R> ? Static<R> : never;

export function defineCommand<TReq extends TSchema, TRep extends TSchema>(spec: {
  service: string;
  name: string;
  summary: string;
  request: TReq;
  reply: TRep;
  answeredBy?: 'queue' | 'holder';
}): CommandContract<TReq, TRep> {
  return { ...spec, subject: commandSubject(spec.service, spec.name) };
}

/**
 * What travels back on the reply subject: the command's reply, or an error with a
 * stable code from the answering service's catalogue.
 */
export const CommandErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
});
export type CommandError = Static<typeof CommandErrorSchema>;

export type CommandResult<T> = { ok: true; reply: T } | { ok: false; error: CommandError };
