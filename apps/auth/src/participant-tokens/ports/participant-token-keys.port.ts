import { AlgorithmBoundKey } from '../key-material';

interface KeyRecord extends AlgorithmBoundKey {
  /** The key's id: API key id, public key id (`kid`), alias id or platform `kid`. */
  readonly id: string;
  readonly revoked: boolean;
}

/** A key an organisation signs its own tokens with: an API key secret (HS256) or a registered RSA public key (RS256). */
export interface OrganisationKey extends KeyRecord {
  readonly kind: 'api_key' | 'organisation_public_key';
  readonly orgId: string;
}

/** The jwt_secret of a private alias (HS256); the alias opens one room until it expires. */
export interface AliasKey extends KeyRecord {
  readonly kind: 'alias_secret';
  readonly orgId: string;
  readonly roomId: string;
  /** epoch seconds */
  readonly expiresAt: number;
}

/** One of Confer's own RS256 signing keys; tokens it signed say their organisation in `org_id`. */
export interface PlatformKey extends KeyRecord {
  readonly kind: 'platform_key';
}

export type VerificationKey = OrganisationKey | AliasKey | PlatformKey;

/**
 * Where the verifier finds keys. An abstract class so it doubles as the DI token;
 * the TypeORM adapter serves production, the in-memory fake serves specs.
 * Lookups answer `undefined` for an unknown id; revoked keys are returned (flagged)
 * by the single-key lookups so the refusal can say `key_revoked`, and left out of
 * the per-organisation lists.
 */
export abstract class ParticipantTokenKeys {
  abstract apiKey(keyId: string): Promise<OrganisationKey | undefined>;
  /** Live API keys of an organisation, for HS256 tokens that name no key. */
  abstract apiKeysOfOrganisation(orgId: string): Promise<OrganisationKey[]>;
  abstract organisationPublicKey(kid: string): Promise<OrganisationKey | undefined>;
  /** Live registered public keys of an organisation, for RS256 tokens that name no key. */
  abstract organisationPublicKeys(orgId: string): Promise<OrganisationKey[]>;
  abstract aliasCredential(aliasId: string): Promise<AliasKey | undefined>;
  abstract platformKey(kid: string): Promise<PlatformKey | undefined>;
  /** Drops anything cached about a key on this replica, after it was revoked or replaced here. */
  abstract forget(kind: VerificationKey['kind'], id: string): void;
}
