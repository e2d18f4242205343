import { createHmac, KeyObject } from 'crypto';
import { JWTPayload, JWTHeaderParameters, SignJWT } from 'jose';
import { AuthConfig, loadAuthConfig } from '../config/auth.config';

/**
 * Signs tokens the way integrators do, for specs: ordinary ones through jose, and
 * hostile ones (alg none, HMAC keyed with a public key) by hand, since jose rightly
 * refuses to make those.
 */
export const ISSUER = 'https://confer.test';

/** The service's defaults, as if started with only the required settings (plus `overrides`). */
export function authConfigForTests(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    ...loadAuthConfig({ SECRET_ENCRYPTION_KEY: 'ab'.repeat(32), PUBLIC_URL: `${ISSUER}/` }),
    ...overrides,
  };
}

/** Header parameters as a careless or hostile integrator may write them: `kid` of any JSON type. */
type Header = Omit<Partial<JWTHeaderParameters>, 'kid'> & { kid?: unknown } & Record<string, unknown>;

export function signHs256(payload: JWTPayload, secret: string, header: Header = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'JWT', ...header, alg: 'HS256' } as JWTHeaderParameters)
    .sign(Buffer.from(secret, 'utf8'));
}

export function signRs256(payload: JWTPayload, privateKey: KeyObject, header: Header = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'JWT', ...header, alg: 'RS256' } as JWTHeaderParameters)
    .sign(privateKey);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token: `alg: none`, empty signature. */
export function unsignedToken(payload: JWTPayload, header: Header = {}): string {
  return `${b64url({ typ: 'JWT', ...header, alg: 'none' })}.${b64url(payload)}.`;
}

/**
 * The RS/HS confusion attack: an HS256 token whose HMAC key is the bytes of an RSA
 * public key (which is public), hoping the verifier feeds that key to HMAC.
 */
export function hmacWithPublicKeyBytes(
  payload: JWTPayload,
  publicKeyBytes: string | Buffer,
  header: Header = {},
): string {
  const input = `${b64url({ typ: 'JWT', ...header, alg: 'HS256' })}.${b64url(payload)}`;
  const signature = createHmac('sha256', publicKeyBytes).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** Replaces the payload of a signed token, keeping header and signature (a tampered token). */
export function withPayload(token: string, payload: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64url(payload)}.${signature}`;
}
