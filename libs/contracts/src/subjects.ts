/**
 * NATS subject naming. Tokens go from broad to narrow so that a wildcard selects
 * what a consumer wants:
 *
 *   confer.evt.<orgId>.<roomId>.<entity>.<action>.v<version>   durable call events
 *   confer.cmd.<service>.<command>                            request/reply commands
 *   confer.dlq.<consumer>                                     dead letters of one consumer
 *   confer.sys.<service>.<topic>.v<version>                   announcements (core NATS, not kept)
 *
 * Subjects are only ever built here, from typed parts; a published subject is never renamed.
 */

/** Events that concern an organisation as a whole carry this in place of a room id. */
export const NO_ROOM = '_';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export class InvalidSubjectToken extends Error {
  constructor(part: string, value: string) {
    super(`"${value}" cannot be used as the ${part} token of a subject`);
  }
}

function token(part: string, value: string): string {
  if (!TOKEN.test(value)) throw new InvalidSubjectToken(part, value);
  return value;
}

export const EVENTS_STREAM = 'CONFER_EVENTS';
export const EVENTS_SUBJECTS = 'confer.evt.>';
export const DEAD_LETTER_STREAM = 'CONFER_DLQ';
export const DEAD_LETTER_SUBJECTS = 'confer.dlq.>';

export interface EventSubjectParts {
  orgId: string;
  roomId?: string;
  /** "entity.action", e.g. "peer.joined" */
  type: string;
  version: number;
}

export function eventSubject(parts: EventSubjectParts): string {
  const [entity, action, ...rest] = parts.type.split('.');
  if (!entity || !action || rest.length) throw new InvalidSubjectToken('type', parts.type);
  return [
    'confer.evt',
    token('orgId', parts.orgId),
    token('roomId', parts.roomId ?? NO_ROOM),
    token('entity', entity),
    token('action', action),
    `v${parts.version}`,
  ].join('.');
}

/** A filter for consumers; omitted parts become `*` wildcards. */
export function eventFilter(
  parts: Partial<Omit<EventSubjectParts, 'version'>> & { version?: number },
): string {
  const [entity, action] = parts.type ? parts.type.split('.') : ['*', '*'];
  return [
    'confer.evt',
    parts.orgId ? token('orgId', parts.orgId) : '*',
    parts.roomId ? token('roomId', parts.roomId) : '*',
    entity === '*' ? '*' : token('entity', entity),
    action === '*' ? '*' : token('action', action),
    parts.version ? `v${parts.version}` : '*',
  ].join('.');
}

export function commandSubject(service: string, command: string): string {
  return `confer.cmd.${token('service', service)}.${command
    .split('.')
    .map((t) => token('command', t))
    .join('.')}`;
}

export function deadLetterSubject(consumer: string): string {
  return `confer.dlq.${token('consumer', consumer)}`;
}

/** Announcements: state a service repeats every few seconds, for whoever listens now. */
export function announcementSubject(service: string, topic: string, version: number): string {
  return `confer.sys.${token('service', service)}.${token('topic', topic)}.v${version}`;
}
