import { ApiKeyCreated, defineEvent } from '@confer/contracts';
import { Type } from '@sinclair/typebox';
import { OutboxContracts } from './outbox-contracts';

describe('OutboxContracts', () => {
  const Extra = defineEvent({
    type: 'outboxtest.happened',
    version: 3,
    summary: 'Not in the catalogue.',
    data: Type.Object({}),
  });

  it('resolves catalogue contracts and the extra ones by type and version', () => {
    const contracts = new OutboxContracts([Extra]);
    expect(contracts.find('api-key.created', 1)).toBe(ApiKeyCreated);
    expect(contracts.find('outboxtest.happened', 3)).toBe(Extra);
    expect(contracts.find('outboxtest.happened', 2)).toBeUndefined();
    expect(contracts.knows(Extra)).toBe(true);
  });

  it('does not know a contract outside the catalogue unless given it', () => {
    expect(new OutboxContracts().knows(Extra)).toBe(false);
  });
});
