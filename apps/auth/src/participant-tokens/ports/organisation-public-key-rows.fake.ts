import {
  NewOrganisationPublicKey,
  OrganisationPublicKeyPage,
  OrganisationPublicKeyRecord,
  OrganisationPublicKeyRows,
} from './organisation-public-key-rows.port';

/** In-memory public keys for specs; `createdAt` advances a millisecond per key so "newest first" is well defined. */
export class FakeOrganisationPublicKeyRows extends OrganisationPublicKeyRows {
  readonly #rows = new Map<string, OrganisationPublicKeyRecord>();

  constructor(private readonly startAt = new Date(0)) {
    super();
  }

  get size(): number {
    return this.#rows.size;
  }

  async add(key: NewOrganisationPublicKey): Promise<OrganisationPublicKeyRecord> {
    if (this.#rows.has(key.id)) throw new Error(`duplicate public key id ${key.id}`);
    const row = {
      ...key,
      createdAt: new Date(this.startAt.getTime() + this.#rows.size),
      revokedAt: null,
    };
    this.#rows.set(key.id, row);
    return { ...row };
  }

  async page(orgId: string, skip: number, take: number): Promise<OrganisationPublicKeyPage> {
    const all = [...this.#rows.values()]
      .filter((r) => r.orgId === orgId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
    return { rows: all.slice(skip, skip + take).map((r) => ({ ...r })), total: all.length };
  }

  async find(orgId: string, keyId: string): Promise<OrganisationPublicKeyRecord | undefined> {
    const row = this.#rows.get(keyId);
    return row && row.orgId === orgId ? { ...row } : undefined;
  }

  async revoke(orgId: string, keyId: string, at: Date): Promise<OrganisationPublicKeyRecord | undefined> {
    const row = this.#rows.get(keyId);
    if (!row || row.orgId !== orgId) return undefined;
    const revoked = { ...row, revokedAt: row.revokedAt ?? at };
    this.#rows.set(keyId, revoked);
    return { ...revoked };
  }
}
