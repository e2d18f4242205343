import { ApiKeyRevoked, OrganisationCreated, SchemaViolation, buildEvent } from '@confer/contracts';
import { EventPublisherPort } from '../event-publisher.port';
import { InMemoryEventPublisher } from './in-memory-event-publisher';

describe('InMemoryEventPublisher', () => {
  const publisher = new InMemoryEventPublisher();
  const created = buildEvent(OrganisationCreated, {
    source: '/test',
    orgId: 'org1',
    data: { orgId: 'org1', name: 'Acme' },
  });

  beforeEach(() => publisher.clear());

  it('is a drop-in EventPublisherPort that records events by contract', async () => {
    expect(publisher).toBeInstanceOf(EventPublisherPort);
    const result = await publisher.publish(OrganisationCreated, created);
    expect(result).toEqual({
      subject: 'confer.evt.org1._.organisation.created.v1',
      sequence: 1,
      duplicate: false,
    });
    expect(publisher.eventsOf(OrganisationCreated)).toEqual([created]);
    expect(publisher.eventsOf(ApiKeyRevoked)).toEqual([]);
  });

  it('deduplicates by event id like JetStream', async () => {
    await publisher.publish(OrganisationCreated, created);
    expect(await publisher.publish(OrganisationCreated, created)).toMatchObject({
      duplicate: true,
      sequence: 1,
    });
    expect(publisher.published).toHaveLength(1);
  });

  it('validates like the real publisher', async () => {
    const bad = { ...created, data: { orgId: 'org1' } } as unknown as typeof created;
    await expect(publisher.publish(OrganisationCreated, bad)).rejects.toBeInstanceOf(SchemaViolation);
    expect(publisher.published).toHaveLength(0);
  });

  it('can simulate an unavailable bus', async () => {
    publisher.failWith = new Error('bus down');
    await expect(publisher.publish(OrganisationCreated, created)).rejects.toThrow('bus down');
  });
});
