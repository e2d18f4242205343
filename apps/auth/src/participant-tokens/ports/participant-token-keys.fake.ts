import { KeyObject } from 'crypto';
import { hs256Key, rs256Key } from '../key-material';
import {
  AliasKey,
  OrganisationKey,
  ParticipantTokenKeys,
  PlatformKey,
  VerificationKey,
} from './participant-token-keys.port';

/** In-memory keys for specs: add what a test needs, revoke it, count lookups. */
export class FakeParticipantTokenKeys extends ParticipantTokenKeys {
  readonly #apiKeys = new Map<string, OrganisationKey>();
  readonly #publicKeys = new Map<string, OrganisationKey>();
  readonly #aliases = new Map<string, AliasKey>();
  readonly #platformKeys = new Map<string, PlatformKey>();
  readonly forgotten: Array<{ kind: VerificationKey['kind']; id: string }> = [];

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
    return this.#apiKeys.get(keyId);
  }

  async apiKeysOfOrganisation(orgId: string): Promise<OrganisationKey[]> {
    return [...this.#apiKeys.values()].filter((k) => k.orgId === orgId && !k.revoked);
  }

  async organisationPublicKey(kid: string): Promise<OrganisationKey | undefined> {
    return this.#publicKeys.get(kid);
  }

  async organisationPublicKeys(orgId: string): Promise<OrganisationKey[]> {
    return [...this.#publicKeys.values()].filter((k) => k.orgId === orgId && !k.revoked);
  }

  async aliasCredential(aliasId: string): Promise<AliasKey | undefined> {
    return this.#aliases.get(aliasId);
  }

  async platformKey(kid: string): Promise<PlatformKey | undefined> {
    return this.#platformKeys.get(kid);
  }

  forget(kind: VerificationKey['kind'], id: string): void {
    this.forgotten.push({ kind, id });
  }
}
