import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { OrganisationEntity } from '../organisations/organisation.entity';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { RefreshTokenEntity } from '../oauth/refresh-token.entity';
import { SigningKeyEntity } from '../signing-keys/signing-key.entity';
import { OrganisationPublicKeyEntity } from '../participant-tokens/organisation-public-key.entity';
import { AliasCredentialEntity } from '../participant-tokens/alias-credential.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { RevokedTokenFamilies1764000000001 } from './migrations/1764000000001-revoked-token-families';
import { AliasCredentialExpiryIndex1764000000002 } from './migrations/1764000000002-alias-credential-expiry-index';

export const authEntities = [
  OrganisationEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  OrganisationPublicKeyEntity,
  AliasCredentialEntity,
  ...outboxEntities,
];
export const authMigrations = [
  InitialSchema1764000000000,
  RevokedTokenFamilies1764000000001,
  AliasCredentialExpiryIndex1764000000002,
  ...outboxMigrations,
];

export function authDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: authEntities, migrations: authMigrations };
}
