import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';

const VERSION = 'v1';

/**
 * Authenticated encryption (AES-256-GCM) for secrets the server must read back:
 * API key secrets (HMAC verification needs them) and private signing keys.
 * Stored form: "v1.<iv>.<tag>.<ciphertext>" in base64url; the version lets the
 * scheme change without a flag day.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(encodedKey: string) {
    this.#key = decodeKey(encodedKey);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    // The context (e.g. the key id) is bound as associated data, so a ciphertext
    // copied onto another row does not decrypt.
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new Error('unrecognised sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

function decodeKey(encoded: string): Buffer {
  const trimmed = encoded.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new Error('SECRET_ENCRYPTION_KEY must be 32 bytes, given as 64 hex characters or base64');
  return key;
}
