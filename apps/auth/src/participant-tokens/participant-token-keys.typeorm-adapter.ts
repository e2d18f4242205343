import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyCredential, ApiKeyCredentials } from '../api-keys/api-key-credentials';
import { SecretBox } from '../crypto/secret-box';
import { SigningKeys } from '../signing-keys/signing-keys.service';
import { AliasCredentialEntity } from './alias-credential.entity';
import { hs256Key, rs256Key } from './key-material';
import { OrganisationPublicKeyEntity } from './organisation-public-key.entity';
import { KEY_CACHE_TTL_MS } from './participant-token.constants';
import {
  AliasKey,
  OrganisationKey,
  ParticipantTokenKeys,
  PlatformKey,
  VerificationKey,
} from './ports/participant-token-keys.port';
import { ShortLivedCache } from './short-lived-cache';

/** The most keys of one kind tried for a token that names none; organisations have a handful. */
const MAX_KEYS_PER_ORGANISATION = 100;

/**
 * Keys from PostgreSQL (registered public keys, alias secrets), from ApiKeyCredentials
 * (API key secrets, cached there) and from SigningKeys (platform keys, kept loaded
 * there). Each is bound to its one algorithm here, on the way in.
 */
@Injectable()
export class ParticipantTokenKeysTypeormAdapter extends ParticipantTokenKeys {
  readonly #publicKeys = new ShortLivedCache<OrganisationKey | undefined>(KEY_CACHE_TTL_MS);
  readonly #aliases = new ShortLivedCache<AliasKey | undefined>(KEY_CACHE_TTL_MS);
  readonly #organisationKeys = new ShortLivedCache<OrganisationKey[]>(KEY_CACHE_TTL_MS);

  constructor(
    @InjectRepository(OrganisationPublicKeyEntity)
    private readonly publicKeyRows: Pick<Repository<OrganisationPublicKeyEntity>, 'findOneBy' | 'find'>,
    @InjectRepository(AliasCredentialEntity)
    private readonly aliasRows: Pick<Repository<AliasCredentialEntity>, 'findOneBy'>,
    @Inject(ApiKeyCredentials)
    private readonly apiKeyCredentials: Pick<ApiKeyCredentials, 'find' | 'forOrganisation' | 'invalidate'>,
    @Inject(SigningKeys) private readonly signingKeys: Pick<SigningKeys, 'verificationKey'>,
    @Inject(SecretBox) private readonly secretBox: SecretBox,
  ) {
    super();
  }

  async apiKey(keyId: string): Promise<OrganisationKey | undefined> {
    const credential = await this.apiKeyCredentials.find(keyId);
    return credential && apiKeyOf(credential);
  }

  apiKeysOfOrganisation(orgId: string): Promise<OrganisationKey[]> {
    return this.#organisationKeys.get(`api_key:${orgId}`, async () =>
      (await this.apiKeyCredentials.forOrganisation(orgId))
        .filter((c) => !c.revoked)
        .slice(0, MAX_KEYS_PER_ORGANISATION)
        .map(apiKeyOf),
    );
  }

  organisationPublicKey(kid: string): Promise<OrganisationKey | undefined> {
    return this.#publicKeys.get(kid, async () => {
      const row = await this.publicKeyRows.findOneBy({ id: kid });
      return row ? publicKeyOf(row) : undefined;
    });
  }

  organisationPublicKeys(orgId: string): Promise<OrganisationKey[]> {
    return this.#organisationKeys.get(`organisation_public_key:${orgId}`, async () => {
      const rows = await this.publicKeyRows.find({
        where: { orgId, revokedAt: IsNull() },
        order: { createdAt: 'DESC' },
        take: MAX_KEYS_PER_ORGANISATION,
      });
      return rows.map(publicKeyOf);
    });
  }

  aliasCredential(aliasId: string): Promise<AliasKey | undefined> {
    return this.#aliases.get(aliasId, async () => {
      const row = await this.aliasRows.findOneBy({ aliasId });
      if (!row) return undefined;
      return {
        kind: 'alias_secret',
        id: row.aliasId,
        orgId: row.orgId,
        roomId: row.roomId,
        expiresAt: Math.floor(row.expiresAt.getTime() / 1000),
        revoked: false,
        ...hs256Key(this.secretBox.open(row.secretSealed, row.aliasId)),
      };
    });
  }

  async platformKey(kid: string): Promise<PlatformKey | undefined> {
    const key = await this.signingKeys.verificationKey(kid);
    return key && { kind: 'platform_key', id: kid, revoked: false, ...rs256Key(key) };
  }

  forget(kind: VerificationKey['kind'], id: string): void {
    switch (kind) {
      case 'api_key':
        this.apiKeyCredentials.invalidate(id);
        this.#organisationKeys.deleteWhere((key) => key.startsWith('api_key:'));
        break;
      case 'organisation_public_key':
        this.#publicKeys.delete(id);
        this.#organisationKeys.deleteWhere((key) => key.startsWith('organisation_public_key:'));
        break;
      case 'alias_secret':
        this.#aliases.delete(id);
        break;
      case 'platform_key':
        // SigningKeys reloads on its own schedule.
        break;
    }
  }
}

function apiKeyOf(credential: ApiKeyCredential): OrganisationKey {
  return {
    kind: 'api_key',
    id: credential.keyId,
    orgId: credential.orgId,
    revoked: credential.revoked,
    ...hs256Key(credential.secret),
  };
}

function publicKeyOf(row: OrganisationPublicKeyEntity): OrganisationKey {
  return {
    kind: 'organisation_public_key',
    id: row.id,
    orgId: row.orgId,
    revoked: row.revokedAt !== null,
    ...rs256Key(row.publicKeyPem),
  };
}
