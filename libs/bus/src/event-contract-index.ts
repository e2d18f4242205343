import { EventContract } from '@confer/contracts';

export type ContractMatch<C extends EventContract> =
  | { ok: true; contract: C; eventId?: string }
  | { ok: false; cause: 'invalid_envelope' | 'unknown_type'; detail: string; eventId?: string };

const TYPE_PREFIX = 'io.confer.';

/**
 * Finds the contract of a received envelope from its `type` and `schemaversion`, before
 * the full (compiled, cached) schema check. One map lookup per message.
 */
export class EventContractIndex<C extends EventContract> {
  private readonly byKey = new Map<string, C>();

  constructor(contracts: readonly C[]) {
    for (const c of contracts) this.byKey.set(key(`${TYPE_PREFIX}${c.type}`, c.version), c);
  }

  get size(): number {
    return this.byKey.size;
  }

  match(raw: unknown): ContractMatch<C> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { ok: false, cause: 'invalid_envelope', detail: 'body is not a JSON object' };
    }
    const envelope = raw as Record<string, unknown>;
    const eventId = typeof envelope['id'] === 'string' && envelope['id'] ? envelope['id'] : undefined;
    const type = envelope['type'];
    const version = envelope['schemaversion'];
    if (typeof type !== 'string' || typeof version !== 'number') {
      return {
        ok: false,
        cause: 'invalid_envelope',
        detail: 'missing "type" or numeric "schemaversion"',
        eventId,
      };
    }
    const contract = this.byKey.get(key(type, version));
    if (!contract)
      return {
        ok: false,
        cause: 'unknown_type',
        detail: `${type} v${version} is not accepted here`,
        eventId,
      };
    return { ok: true, contract, eventId };
  }
}

function key(type: string, version: number): string {
  return `${type}#${version}`;
}
