import { createPublicKey, createSecretKey, KeyObject } from 'crypto';

/**
 * The only two algorithms participant tokens may use. Every key Confer holds is bound
 * to exactly one of them when it is loaded, so the algorithm a token is checked with
 * always comes from the key, never from the token's header.
 */
export type TokenAlgorithm = 'HS256' | 'RS256';
export const TOKEN_ALGORITHMS: readonly TokenAlgorithm[] = ['HS256', 'RS256'];

export const MIN_RSA_MODULUS_BITS = 2048;

export interface AlgorithmBoundKey {
  readonly algorithm: TokenAlgorithm;
  readonly key: KeyObject;
}

/** A shared secret (API key secret, alias jwt_secret) used as its UTF-8 bytes, as integrators' JWT libraries do. */
export function hs256Key(secret: string): AlgorithmBoundKey {
  return { algorithm: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) };
}

export class UnusablePublicKey extends Error {}

/**
 * An RSA public key for RS256. Refuses anything else (EC keys, private keys handed in
 * by mistake are reduced to their public half, short moduli are refused) so that a
 * registered key can only ever verify RS256 signatures.
 */
export function rs256Key(material: string | KeyObject): AlgorithmBoundKey {
  let key: KeyObject;
  try {
    key =
      typeof material === 'string'
        ? createPublicKey(material)
        : material.type === 'public'
          ? material
          : createPublicKey(material);
  } catch (err) {
    throw new UnusablePublicKey(
      `not a PEM-encoded public key (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UnusablePublicKey(
      `an RSA key is required, got ${key.asymmetricKeyType ?? 'an unknown key type'}`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw new UnusablePublicKey(
      `the RSA modulus has ${bits} bits; at least ${MIN_RSA_MODULUS_BITS} are required`,
    );
  }
  return { algorithm: 'RS256', key };
}
