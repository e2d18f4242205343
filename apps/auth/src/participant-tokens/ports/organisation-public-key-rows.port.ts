/** One RSA public key an organisation registered for its RS256 room tokens. */
export interface OrganisationPublicKeyRecord {
  /** Also the `kid` the organisation puts in its token headers. */
  readonly id: string;
  readonly orgId: string;
  readonly name: string | null;
  /** SPKI PEM, re-encoded from what was registered. */
  readonly publicKeyPem: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export type NewOrganisationPublicKey = Pick<
  OrganisationPublicKeyRecord,
  'id' | 'orgId' | 'name' | 'publicKeyPem'
>;

export interface OrganisationPublicKeyPage {
  /** Newest first. */
  readonly rows: OrganisationPublicKeyRecord[];
  readonly total: number;
}

/**
 * Where registered public keys are kept. An abstract class so it doubles as the DI
 * token; the TypeORM adapter serves production (tested against PostgreSQL), the
 * in-memory fake beside this file serves unit specs. Every lookup is scoped to one
 * organisation: a key of another organisation is "not found".
 */
export abstract class OrganisationPublicKeyRows {
  /** Stores a new key; the store stamps `createdAt`. */
  abstract add(key: NewOrganisationPublicKey): Promise<OrganisationPublicKeyRecord>;
  /** Revoked keys included, newest first (ties by id). */
  abstract page(orgId: string, skip: number, take: number): Promise<OrganisationPublicKeyPage>;
  abstract find(orgId: string, keyId: string): Promise<OrganisationPublicKeyRecord | undefined>;
  /** Sets `revokedAt` unless already set; answers the key as it now stands, or undefined if there is none. */
  abstract revoke(orgId: string, keyId: string, at: Date): Promise<OrganisationPublicKeyRecord | undefined>;
}
