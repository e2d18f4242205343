import { ApiKeyCreated, ApiKeyRevoked } from '@confer/contracts';
import { EventContractIndex } from './event-contract-index';

describe('EventContractIndex', () => {
  const index = new EventContractIndex([ApiKeyCreated, ApiKeyRevoked]);

  it('finds the contract by type and schema version', () => {
    expect(index.match({ id: 'e1', type: 'io.confer.api-key.revoked', schemaversion: 1 })).toEqual({
      ok: true,
      contract: ApiKeyRevoked,
      eventId: 'e1',
    });
  });

  it('refuses other versions and types', () => {
    expect(index.match({ id: 'e2', type: 'io.confer.api-key.revoked', schemaversion: 2 })).toEqual({
      ok: false,
      cause: 'unknown_type',
      detail: 'io.confer.api-key.revoked v2 is not accepted here',
      eventId: 'e2',
    });
    expect(index.match({ type: 'io.confer.room.created', schemaversion: 1 })).toMatchObject({
      ok: false,
      cause: 'unknown_type',
    });
  });

  it.each([
    [null],
    [[]],
    ['text'],
    [42],
    [{ type: 'io.confer.api-key.revoked' }],
    [{ type: 1, schemaversion: 1 }],
  ])('refuses %p as an invalid envelope', (raw) => {
    expect(index.match(raw)).toMatchObject({ ok: false, cause: 'invalid_envelope' });
  });
});
