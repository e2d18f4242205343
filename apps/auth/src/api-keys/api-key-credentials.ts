import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { OrganisationEntity } from '../organisations/organisation.entity';
import { SecretBox } from '../crypto/secret-box';

export interface ApiKeyCredential {
  keyId: string;
  orgId: string;
  /** The clear secret: the Basic-auth password and the HS256 key of session tokens. */
  secret: string;
  revoked: boolean;
  /** The organisation's own limit, or null for the service default. */
  rateLimitPerSecond: number | null;
}

// Long enough to spare the database and the decryption on every token request,
// short enough that a revocation on another replica takes hold within seconds.
const CACHE_TTL_MS = 5_000;

/** Looks up API key secrets for authentication and HMAC verification. */
@Injectable()
export class ApiKeyCredentials {
  readonly #cache = new Map<string, { value: ApiKeyCredential | undefined; until: number }>();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(OrganisationEntity) private readonly organisations: Repository<OrganisationEntity>,
    @Inject(SecretBox) private readonly secretBox: SecretBox,
  ) {}

  async find(keyId: string): Promise<ApiKeyCredential | undefined> {
    const now = Date.now();
    const hit = this.#cache.get(keyId);
    if (hit && hit.until > now) return hit.value;
    const row = await this.keys.findOneBy({ id: keyId });
    const org = row ? await this.organisations.findOneBy({ id: row.orgId }) : null;
    const value = row ? this.toCredential(row, org?.rateLimitPerSecond ?? null) : undefined;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(keyId, { value, until: now + CACHE_TTL_MS });
    return value;
  }

  /** Every live key of an organisation (for tokens that name no key). */
  async forOrganisation(orgId: string): Promise<ApiKeyCredential[]> {
    const rows = await this.keys.find({
      where: { orgId, revokedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: 100,
    });
    const org = await this.organisations.findOneBy({ id: orgId });
    return rows.map((row) => this.toCredential(row, org?.rateLimitPerSecond ?? null));
  }

  /** Forgets cached keys at once on this replica (others within CACHE_TTL_MS). */
  invalidate(keyId?: string): void {
    if (keyId) this.#cache.delete(keyId);
    else this.#cache.clear();
  }

  private toCredential(row: ApiKeyEntity, rateLimitPerSecond: number | null): ApiKeyCredential {
    return {
      keyId: row.id,
      orgId: row.orgId,
      secret: this.secretBox.open(row.secretSealed, row.id),
      revoked: row.revokedAt !== null,
      rateLimitPerSecond,
    };
  }
}
