import { KeyObject } from 'crypto';
import { hs256Key, rs256Key } from '../key-material';
import {
  AliasKey,
  OrganisationKey,
  ParticipantTokenKeys,
  PlatformKey,
  VerificationKey,
} from './participant-token-keys.port';

/**
 * In-memory keys for specs: add what a test needs, revoke it, see what was looked up.
 * Like the PostgreSQL behind the real adapter, a lookup by an id holding a NUL byte
 * fails (an error, not a miss), so a spec shows whether such an id was stopped first.
 */
export class FakeParticipantTokenKeys extends ParticipantTokenKeys {
  readonly #apiKeys = new Map<string, OrganisationKey>();
  readonly #publicKeys = new Map<string, OrganisationKey>();
  readonly #aliases = new Map<string, AliasKey>();
  readonly #platformKeys = new Map<string, PlatformKey>();
  readonly forgotten: Array<{ kind: VerificationKey['kind']; id: string }> = [];
  /** Every lookup made, in order, e.g. `apiKey:ak_a1` or `organisationPublicKeys:org_a`. */
  readonly lookups: string[] = [];

  addApiKey(spec: { id: string; orgId: string; secret: string; revoked?: boolean }): this {
    this.#apiKeys.set(spec.id, {
      kind: 'api_key',
      id: spec.id,
      orgId: spec.orgId,
      revoked: spec.revoked ?? false,
      ...hs256Key(spec.secret),
    });
    return this;
  }

  addOrganisationPublicKey(spec: {
    id: string;
    orgId: string;
    publicKey: KeyObject | string;
    revoked?: boolean;
  }): this {
    this.#publicKeys.set(spec.id, {
      kind: 'organisation_public_key',
      id: spec.id,
      orgId: spec.orgId,
      revoked: spec.revoked ?? false,
      ...rs256Key(spec.publicKey),
    });
    return this;
  }

  addAlias(spec: { id: string; orgId: string; roomId: string; secret: string; expiresAt: number }): this {
    this.#aliases.set(spec.id, { kind: 'alias_secret', revoked: false, ...spec, ...hs256Key(spec.secret) });
    return this;
  }

  addPlatformKey(spec: { kid: string; publicKey: KeyObject }): this {
    this.#platformKeys.set(spec.kid, {
      kind: 'platform_key',
      id: spec.kid,
      revoked: false,
      ...rs256Key(spec.publicKey),
    });
    return this;
  }

  revoke(kind: 'api_key' | 'organisation_public_key', id: string): this {
    const table = kind === 'api_key' ? this.#apiKeys : this.#publicKeys;
    const key = table.get(id);
    if (!key) throw new Error(`no ${kind} ${id} to revoke`);
    table.set(id, { ...key, revoked: true });
    return this;
  }

  async apiKey(keyId: string): Promise<OrganisationKey | undefined> {
    this.#lookUp('apiKey', keyId);
    return this.#apiKeys.get(keyId);
  }

  async apiKeysOfOrganisation(orgId: string): Promise<OrganisationKey[]> {
    this.#lookUp('apiKeysOfOrganisation', orgId);
    return [...this.#apiKeys.values()].filter((k) => k.orgId === orgId && !k.revoked);
  }

  async organisationPublicKey(kid: string): Promise<OrganisationKey | undefined> {
    this.#lookUp('organisationPublicKey', kid);
    return this.#publicKeys.get(kid);
  }

  async organisationPublicKeys(orgId: string): Promise<OrganisationKey[]> {
    this.#lookUp('organisationPublicKeys', orgId);
    return [...this.#publicKeys.values()].filter((k) => k.orgId === orgId && !k.revoked);
  }

  async aliasCredential(aliasId: string): Promise<AliasKey | undefined> {
    this.#lookUp('aliasCredential', aliasId);
    return this.#aliases.get(aliasId);
  }

  async platformKey(kid: string): Promise<PlatformKey | undefined> {
    this.#lookUp('platformKey', kid);
    return this.#platformKeys.get(kid);
  }

  forget(kind: VerificationKey['kind'], id: string): void {
    this.forgotten.push({ kind, id });
  }

  #lookUp(what: string, id: string): void {
    this.lookups.push(`${what}:${id}`);
    if (typeof id !== 'string') throw new TypeError(`${what} looked up by a ${typeof id}`);
    if (id.includes('\u0000')) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
  }
}
