import { EventContract, eventCatalogue } from '@confer/contracts';

/**
 * Maps a stored row's (event_type, schema_version) back to its contract: the relay publishes
 * through EventPublisherPort, which wants the contract, and rows outlive the process that wrote
 * them. Knows the whole catalogue plus the module's extra contracts.
 */
export class OutboxContracts {
  readonly #byKey = new Map<string, EventContract>();

  constructor(extra: readonly EventContract[] = [], catalogue: readonly EventContract[] = eventCatalogue) {
    for (const contract of [...catalogue, ...extra])
      this.#byKey.set(key(contract.type, contract.version), contract);
  }

  find(type: string, version: number): EventContract | undefined {
    return this.#byKey.get(key(type, version));
  }

  /** True when a row written for `contract` can be published by this relay. */
  knows(contract: EventContract): boolean {
    return this.#byKey.has(key(contract.type, contract.version));
  }
}

function key(type: string, version: number): string {
  return `${type}#${version}`;
}
