import { Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { DataSource } from 'typeorm';

/** Served for at most this long from memory: the route is public, the table small. */
const CACHE_MS = 1000;

/** Every replica's listed grant keys, as a JWKS (what the media service verifies grants with). */
@Injectable()
export class JoinGrantKeys {
  #cached: { keys: JWK[]; atMs: number } | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async jwks(): Promise<{ keys: JWK[] }> {
    const cached = this.#cached;
    if (cached && Date.now() - cached.atMs < CACHE_MS) return { keys: cached.keys };
    const rows = (await this.dataSource.query(
      'SELECT public_jwk FROM join_grant_keys WHERE listed_until > now() ORDER BY created_at DESC',
    )) as Array<{ public_jwk: JWK }>;
    const keys = rows.map((r) => r.public_jwk);
    this.#cached = { keys, atMs: Date.now() };
    return { keys };
  }
}
