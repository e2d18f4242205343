import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'crypto';
import type { JWK } from 'jose';
import { DataSource, Repository } from 'typeorm';
import { AUTH_CONFIG, AuthConfig } from '../config/auth.config';
import { SecretBox } from '../crypto/secret-box';
import { newId } from '../crypto/identifiers';
import { SigningKeyEntity } from './signing-key.entity';

/** How long verifiers may cache our JWKS (its Cache-Control max-age). */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Promoting a key published so recently could reach verifiers whose cached JWKS lacks it. */
export class SigningKeyTooNew extends Error {
  constructor(
    readonly kid: string,
    readonly waitSeconds: number,
  ) {
    super(
      `the next key ${kid} was published less than ${JWKS_MAX_AGE_SECONDS} s ago; verifiers may not have it yet. Wait ${waitSeconds} s, or force the rotation`,
    );
    this.name = 'SigningKeyTooNew';
  }
}

interface LoadedKeys {
  active: { kid: string; privateKey: KeyObject };
  verification: Map<string, KeyObject>;
  jwks: { keys: JWK[] };
}

/**
 * The platform's RS256 keys. Each replica keeps them in memory and reloads them
 * every SIGNING_KEY_REFRESH_SECONDS, so a rotation made by any replica or by the
 * CLI reaches all of them without a restart.
 */
@Injectable()
export class SigningKeys implements OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger(SigningKeys.name);
  #loaded: LoadedKeys | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastReloadMs = 0;

  constructor(
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
    private readonly dataSource: DataSource,
    @Inject(SecretBox) private readonly secretBox: SecretBox,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureKeys();
    await this.reload();
    this.#timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.#logger.error({ msg: 'signing key reload failed', error: String(error) }),
      );
    }, this.config.SIGNING_KEY_REFRESH_SECONDS * 1000);
    this.#timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async currentSigningKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    return (await this.loaded()).active;
  }

  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = (await this.loaded()).verification.get(kid);
    if (known) return known;
    // A key rotated in by another replica or the CLI since the last reload: look once,
    // at most every second, so unknown kids cannot turn into a query per request.
    if (Date.now() - this.#lastReloadMs < 1000) return undefined;
    await this.reload();
    return this.#loaded?.verification.get(kid);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return (await this.loaded()).jwks;
  }

  /**
   * Promotes the waiting key to signing, retires the signing one (published until
   * every token it signed has expired) and creates the next waiting key. Because
   * the promoted key was published since the previous rotation, verifiers that
   * cache our JWKS already know it when the first token it signs reaches them.
   */
  async rotate(
    options: { force?: boolean } = {},
  ): Promise<{ activeKid: string; nextKid: string; retiredKid: string | null }> {
    const result = await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(SigningKeyEntity);
      // Serialise concurrent rotations (two CLI runs, or CLI and start-up).
      await tx.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
      const active = await repo.findOneBy({ status: 'active' });
      const next = await repo.findOneBy({ status: 'next' });
      const now = new Date();
      const nextAgeSeconds = next ? (now.getTime() - next.createdAt.getTime()) / 1000 : 0;
      if (next && !options.force && nextAgeSeconds < JWKS_MAX_AGE_SECONDS) {
        throw new SigningKeyTooNew(next.kid, Math.ceil(JWKS_MAX_AGE_SECONDS - nextAgeSeconds));
      }
      if (active) {
        active.status = 'retired';
        active.publishUntil = new Date(now.getTime() + this.retiredKeyLifetimeSeconds() * 1000);
        await repo.save(active);
      }
      const promoted = next ?? (await repo.save(this.generate('active')));
      promoted.status = 'active';
      promoted.activatedAt = now;
      await repo.save(promoted);
      const upcoming = await repo.save(this.generate('next'));
      await repo
        .createQueryBuilder()
        .delete()
        .where('status = :s AND publish_until < now()', { s: 'retired' })
        .execute();
      return { activeKid: promoted.kid, nextKid: upcoming.kid, retiredKid: active?.kid ?? null };
    });
    await this.reload();
    return result;
  }

  /** A fresh installation gets a signing key and a waiting one. */
  async ensureKeys(): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
      const repo = tx.getRepository(SigningKeyEntity);
      if (!(await repo.findOneBy({ status: 'active' }))) {
        const next = await repo.findOneBy({ status: 'next' });
        if (next) {
          next.status = 'active';
          next.activatedAt = new Date();
          await repo.save(next);
        } else {
          await repo.save({ ...this.generate('active'), activatedAt: new Date() });
        }
      }
      if (!(await repo.findOneBy({ status: 'next' }))) await repo.save(this.generate('next'));
    });
  }

  async reload(): Promise<void> {
    this.#lastReloadMs = Date.now();
    const rows = await this.keys
      .createQueryBuilder('k')
      .where("k.status IN ('active', 'next') OR k.publish_until > now()")
      .orderBy('k.created_at', 'DESC')
      .getMany();
    const activeRow = rows.find((r) => r.status === 'active');
    if (!activeRow)
      throw new Error('no active signing key: run the auth migrations and start the service once');
    this.#loaded = {
      active: {
        kid: activeRow.kid,
        privateKey: createPrivateKey(this.secretBox.open(activeRow.privateKeySealed, activeRow.kid)),
      },
      verification: new Map(
        rows.map((r) => [r.kid, createPublicKey({ key: r.publicJwk as JsonWebKey, format: 'jwk' })]),
      ),
      jwks: { keys: rows.map((r) => r.publicJwk) },
    };
  }

  private async loaded(): Promise<LoadedKeys> {
    if (!this.#loaded) await this.reload();
    return this.#loaded as LoadedKeys;
  }

  /**
   * A retired key stays published while any token it signed can still be presented:
   * access tokens and Confer participant tokens, plus a grace for clock skew and
   * JWKS caches that refresh lazily.
   */
  private retiredKeyLifetimeSeconds(): number {
    return (
      Math.max(this.config.ACCESS_TOKEN_TTL_SECONDS, this.config.PARTICIPANT_TOKEN_MAX_TTL_SECONDS) +
      JWKS_MAX_AGE_SECONDS
    );
  }

  private generate(status: 'active' | 'next'): SigningKeyEntity {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = newId('sk', 16);
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const entity = new SigningKeyEntity();
    entity.kid = kid;
    entity.alg = 'RS256';
    entity.status = status;
    entity.publicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
    entity.privateKeySealed = this.secretBox.seal(
      privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      kid,
    );
    entity.activatedAt = null;
    entity.publishUntil = null;
    return entity;
  }
}
