import { randomBytes } from 'crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));

  it('round-trips a secret and never stores it in clear', () => {
    const sealed = box.seal('s3cret-value', 'ak_1');
    expect(sealed).not.toContain('s3cret-value');
    expect(box.open(sealed, 'ak_1')).toBe('s3cret-value');
  });

  it('refuses a ciphertext moved to another row or tampered with', () => {
    const sealed = box.seal('s3cret-value', 'ak_1');
    expect(() => box.open(sealed, 'ak_2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'ak_1')).toThrow();
  });

  it('accepts a hex key and rejects a short one', () => {
    expect(() => new SecretBox('ab'.repeat(32))).not.toThrow();
    expect(() => new SecretBox('c2hvcnQ=')).toThrow('32 bytes');
  });
});
