import { buildEvent, defineEvent, PeerJoined, SchemaViolation } from '@confer/contracts';
import { Type } from '@sinclair/typebox';
import { OutboxContracts } from './outbox-contracts';
import { OutboxWriter } from './outbox-writer';
import { UnknownOutboxContract } from './outbox.errors';

const joined = {
  roomId: 'consult-42',
  conferenceNumber: '12345678',
  peerId: 'dr-who',
  connectionId: 'c_1',
  role: 'moderator' as const,
  face: 'call' as const,
  joinedAt: '2026-11-24T17:00:00.000Z',
};

describe('OutboxWriter.row', () => {
  const writer = new OutboxWriter(new OutboxContracts());

  it('gives the validated event as the outbox row a caller inserts itself', () => {
    const event = buildEvent(PeerJoined, {
      source: '/confer/rooms',
      orgId: 'org_1',
      roomId: 'consult-42',
      data: joined,
    });
    const row = writer.row(PeerJoined, event);
    expect(row).toMatchObject({
      event_id: event.id,
      subject: 'confer.evt.org_1.consult-42.peer.joined.v1',
      event_type: 'peer.joined',
      schema_version: 1,
      headers: null,
    });
    expect(row.envelope).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('refuses an event its relays could not publish, before anything is written', () => {
    const event = buildEvent(PeerJoined, {
      source: '/confer/rooms',
      orgId: 'org_1',
      roomId: 'consult-42',
      data: joined,
    });
    const broken = { ...event, data: { ...event.data, conferenceNumber: '123' } };
    expect(() => writer.row(PeerJoined, broken)).toThrow(SchemaViolation);
    const Unknown = defineEvent({
      type: 'outboxtest.unknown',
      version: 1,
      summary: 'Not known.',
      data: Type.Object({}),
    });
    expect(() =>
      writer.row(Unknown, buildEvent(Unknown, { source: '/t', orgId: 'org_1', data: {} })),
    ).toThrow(UnknownOutboxContract);
  });
});
