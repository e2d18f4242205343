import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'crypto';
import { JWK, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { JOIN_GRANT_ALGORITHM, JOIN_GRANT_AUDIENCE } from '@confer/contracts';
import { issuerOf, ROOMS_CONFIG, RoomsConfig } from '../../config/rooms.config';
import type { Permissions } from '../roles';

export interface JoinGrantClaims {
  org: string;
  room: string;
  session: string;
  conferenceNumber: string;
  peer: string;
  connection: string;
  role: string;
  perms: Permissions;
  mediaServer: string;
  /** What the media service shows and enforces, put in only when known. */
  displayName?: string;
  /** An interpreter's language channel (Gcore's intLang). */
  intLang?: string;
  /** The room's limit on peers sending media at once. */
  maxBroadcasters?: number;
}

/** How often a replica says its key is still in use, and drops keys nobody renewed. */
const RENEW_EVERY_MS = 10 * 60_000;
/**
 * How long a key stays listed after its last renewal: longer than the longest grant
 * (JOIN_GRANT_TTL_SECONDS ≤ 1 h) plus a missed renewal, so every grant a key signed can
 * be checked until it expires, also after its replica is gone.
 */
const LISTED_FOR_SECONDS = 2 * 3600;
/** A replica takes a fresh key pair daily; the old one stays listed until it lapses. */
const ROTATE_AFTER_MS = 24 * 3600_000;

interface GrantKey {
  kid: string;
  privateKey: KeyObject;
  createdAtMs: number;
}

/**
 * Signs join grants in this process, with an Ed25519 key pair of this replica's own: a
 * join costs no round trip to auth for its grant, and an EdDSA signature a fraction of an
 * RS256 one. The public key is listed in the database (join_grant_keys) before the first
 * grant it signs, so any replica's key set (JOIN_GRANT_KEYS_PATH) names it.
 */
@Injectable()
export class JoinGrantSigner implements OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger(JoinGrantSigner.name);
  #key: GrantKey | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.#key = await this.listNewKey();
    this.#timer = setInterval(() => {
      this.renew().catch((error: unknown) =>
        this.#logger.error({ msg: 'join grant key renewal failed', error: String(error) }),
      );
    }, RENEW_EVERY_MS);
    this.#timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async sign(claims: JoinGrantClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
    const key = this.#key;
    if (!key) throw new Error('the join grant key is not ready');
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + ttlSeconds;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: JOIN_GRANT_ALGORITHM, typ: 'JWT', kid: key.kid })
      .setIssuer(issuerOf(this.config))
      .setAudience(JOIN_GRANT_AUDIENCE)
      .setSubject(claims.peer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresAt };
  }

  /** Keeps this replica's key listed, takes a fresh one when it is due, and drops lapsed keys. */
  async renew(now = Date.now()): Promise<void> {
    const key = this.#key;
    if (key && now - key.createdAtMs >= ROTATE_AFTER_MS) this.#key = await this.listNewKey();
    else if (key)
      await this.dataSource.query(
        `UPDATE join_grant_keys SET listed_until = now() + make_interval(secs => $2) WHERE kid = $1`,
        [key.kid, LISTED_FOR_SECONDS],
      );
    await this.dataSource.query('DELETE FROM join_grant_keys WHERE listed_until < now()');
  }

  private async listNewKey(): Promise<GrantKey> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = `gk_${randomBytes(12).toString('base64url')}`;
    const { kty, crv, x } = publicKey.export({ format: 'jwk' }) as JWK;
    const jwk: JWK = { kty, crv, x, kid, alg: JOIN_GRANT_ALGORITHM, use: 'sig' };
    await this.dataSource.query(
      `INSERT INTO join_grant_keys (kid, public_jwk, listed_until)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [kid, JSON.stringify(jwk), LISTED_FOR_SECONDS],
    );
    this.#logger.log({ msg: 'join grant key listed', kid });
    return { kid, privateKey, createdAtMs: Date.now() };
  }
}
