import { bodySha256 } from './body-hash';

describe('bodySha256', () => {
  it('is the base64url SHA-256 of the exact bytes', () => {
    expect(bodySha256('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(bodySha256('{"a":1}')).toBe(bodySha256(Buffer.from('{"a":1}')));
  });

  it('changes with any byte, whitespace included', () => {
    expect(bodySha256('{"a":1}')).not.toBe(bodySha256('{"a": 1}'));
  });
});
