import { stringify } from 'yaml';
import { Type } from '@sinclair/typebox';
import { eventCatalogue } from '../events/catalogue';
import { commandCatalogue } from '../commands/catalogue';
import { announcementCatalogue } from '../announcements/catalogue';
import { CommandErrorSchema } from '../commands/define-command';
import { RECORDER_ROSTER_FEED } from '../commands/recorder.commands';
import { ROOM_SPAN_FEED } from '../commands/room-span.commands';
import { DEAD_LETTER_SUBJECTS } from '../subjects';

/** TypeBox schemas are JSON Schema already; this drops TypeBox's symbol keys and undefined values. */
const plain = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema));

const pascal = (s: string) =>
  s
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The AsyncAPI 3.0 document of every bus subject, generated from the contracts. */
export function renderAsyncApi(): string {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const event of eventCatalogue) {
    const name = `${pascal(event.type)}V${event.version}`;
    const [entity, action] = event.type.split('.');
    messages[name] = {
      name: `io.confer.${event.type}`,
      title: `${event.type} v${event.version}`,
      summary: event.summary,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          'Nats-Msg-Id': {
            type: 'string',
            description: 'The event id; JetStream drops a duplicate within its window',
          },
          traceparent: { type: 'string', description: 'W3C trace context' },
        },
      },
      payload: plain(event.envelope),
    };
    channels[name] = {
      address: `confer.evt.{orgId}.{roomId}.${entity}.${action}.v${event.version}`,
      description: `Stream CONFER_EVENTS. ${event.summary}`,
      parameters: {
        orgId: { description: 'Organisation id' },
        roomId: { description: 'Room id, or "_" for events about the organisation as a whole' },
      },
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`receive${name}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${name}` },
      summary: `Consume ${event.type} (durable JetStream consumer, explicit ack)`,
    };
  }

  for (const command of commandCatalogue) {
    const name = pascal(`${command.service}.${command.name}`);
    messages[`${name}Request`] = {
      name: `${name}Request`,
      contentType: 'application/json',
      payload: plain(command.request),
    };
    messages[`${name}Reply`] = {
      name: `${name}Reply`,
      contentType: 'application/json',
      payload: plain(
        Type.Union([
          Type.Object({ ok: Type.Literal(true), reply: command.reply }),
          Type.Object({ ok: Type.Literal(false), error: CommandErrorSchema }),
        ]),
      ),
    };
    channels[name] = {
      address: command.subject,
      description:
        command.answeredBy === 'holder'
          ? `Request/reply (core NATS, every ${command.service} process; only the one holding what it is about answers, so no answer means nobody holds it). ${command.summary}`
          : `Request/reply (core NATS, queue group "${command.service}"). ${command.summary}`,
      messages: { [`${name}Request`]: { $ref: `#/components/messages/${name}Request` } },
    };
    channels[`${name}Reply`] = {
      address: null,
      description: "The requester's inbox",
      messages: { [`${name}Reply`]: { $ref: `#/components/messages/${name}Reply` } },
    };
    operations[`handle${name}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${name}` },
      summary: command.summary,
      reply: { channel: { $ref: `#/channels/${name}Reply` } },
    };
  }

  for (const feed of [RECORDER_ROSTER_FEED, ROOM_SPAN_FEED]) {
    messages[feed.message] = {
      name: feed.message,
      contentType: 'application/json',
      payload: plain(feed.schema),
    };
    channels[feed.channel] = {
      address: feed.address,
      parameters: feed.parameters,
      description: feed.summary,
      messages: { [feed.message]: { $ref: `#/components/messages/${feed.message}` } },
    };
    operations[`receive${feed.message}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${feed.channel}` },
      summary: feed.receivedBy,
    };
  }

  for (const announcement of announcementCatalogue) {
    const name = `${pascal(`${announcement.service}.${announcement.topic}`)}V${announcement.version}`;
    messages[name] = {
      name,
      summary: announcement.summary,
      contentType: 'application/json',
      payload: plain(announcement.schema),
    };
    channels[name] = {
      address: announcement.subject,
      description: `Announcement (core NATS, every listener, nothing kept). ${announcement.summary}`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`receive${name}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${name}` },
      summary: `Listen to ${announcement.service} ${announcement.topic} announcements`,
    };
  }

  channels.DeadLetters = {
    address: DEAD_LETTER_SUBJECTS.replace('>', '{consumer}'),
    description:
      'Stream CONFER_DLQ. A message a consumer could not handle after its retries, or that failed validation, with headers Confer-Dlq-Reason, Confer-Dlq-Subject and Confer-Dlq-Deliveries; the body is the original message.',
    parameters: { consumer: { description: 'Durable consumer name' } },
    messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
  };
  messages.DeadLetter = { name: 'DeadLetter', contentType: 'application/json', payload: {} };

  const doc = {
    asyncapi: '3.0.0',
    info: {
      title: 'Confer bus',
      version: '1.0.0',
      description:
        'Every NATS subject Confer services publish or answer. Generated from libs/contracts by `npm run asyncapi`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    servers: { nats: { host: 'localhost:4222', protocol: 'nats' } },
    channels,
    operations,
    components: { messages },
  };
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
