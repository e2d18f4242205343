import { ApiKeyCreated, ApiKeyRevoked, EventContract, EventOf, buildEvent } from '@confer/contracts';
import { InMemoryEventPublisher } from '@confer/bus/testing';
import { OutboxContracts } from './outbox-contracts';
import { PendingRow, publishInOrder } from './relay-batch';

function rowOf<C extends EventContract>(seq: number, contract: C, envelope: EventOf<C> | object): PendingRow {
  return {
    seq: String(seq),
    eventId: (envelope as { id?: string }).id ?? `missing-${seq}`,
    eventType: contract.type,
    schemaVersion: contract.version,
    envelope: structuredClone(envelope),
    headers: null,
  };
}

const created = (n: number) =>
  buildEvent(ApiKeyCreated, { source: '/test', orgId: 'org1', data: { orgId: 'org1', apiKey: `key${n}` } });

describe('publishInOrder', () => {
  const contracts = new OutboxContracts();
  const publisher = new InMemoryEventPublisher();

  beforeEach(() => publisher.clear());

  it('publishes every row in the given order', async () => {
    const events = [created(1), created(2), created(3)];
    const outcome = await publishInOrder(
      events.map((e, i) => rowOf(i + 1, ApiKeyCreated, e)),
      contracts,
      publisher,
    );
    expect(outcome.published.map((r) => r.seq)).toEqual(['1', '2', '3']);
    expect(outcome.failed).toBeUndefined();
    expect(publisher.eventsOf(ApiKeyCreated).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('stops at the first failed publication so no later row overtakes it', async () => {
    const rows = [created(1), created(2)].map((e, i) => rowOf(i + 1, ApiKeyCreated, e));
    publisher.failWith = new Error('bus down');
    const outcome = await publishInOrder(rows, contracts, publisher);
    expect(outcome.published).toEqual([]);
    expect(outcome.failed?.row.seq).toBe('1');
    expect(outcome.failed?.error).toEqual(new Error('bus down'));
    expect(publisher.published).toHaveLength(0);
  });

  it('sets an invalid envelope aside and carries on with the rows behind it', async () => {
    const bad = { ...created(2), data: { orgId: 'org1' } };
    const rows = [
      rowOf(1, ApiKeyCreated, created(1)),
      rowOf(2, ApiKeyCreated, bad),
      rowOf(3, ApiKeyCreated, created(3)),
    ];
    const outcome = await publishInOrder(rows, contracts, publisher);
    expect(outcome.published.map((r) => r.seq)).toEqual(['1', '3']);
    expect(outcome.setAside).toEqual([{ row: rows[1], reason: expect.stringContaining('/data/apiKey') }]);
    expect(outcome.failed).toBeUndefined();
  });

  it('sets aside an envelope whose org id cannot be a subject token', async () => {
    const bad = { ...created(1), orgid: 'org.with.dots' };
    const outcome = await publishInOrder([rowOf(1, ApiKeyCreated, bad)], contracts, publisher);
    expect(outcome.setAside[0].reason).toContain('cannot be used as the orgId token');
  });

  it('stops, without setting aside, at a row whose contract it does not know', async () => {
    const unknown = {
      ...rowOf(1, ApiKeyRevoked, created(1)),
      eventType: 'api-key.revoked',
      schemaVersion: 9,
    };
    const outcome = await publishInOrder(
      [unknown, rowOf(2, ApiKeyCreated, created(2))],
      contracts,
      publisher,
    );
    expect(outcome.failed?.row.seq).toBe('1');
    expect(outcome.failed?.error).toMatchObject({ name: 'UnknownOutboxContract' });
    expect(outcome.setAside).toEqual([]);
    expect(publisher.published).toHaveLength(0);
  });

  it('counts an already published id (a duplicate) as done', async () => {
    const event = created(1);
    await publisher.publish(ApiKeyCreated, event);
    const outcome = await publishInOrder([rowOf(1, ApiKeyCreated, event)], contracts, publisher);
    expect(outcome.published.map((r) => r.seq)).toEqual(['1']);
    expect(publisher.published).toHaveLength(1);
  });
});
