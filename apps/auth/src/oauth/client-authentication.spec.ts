import { readClientCredentials, secretsEqual } from './client-authentication';
import { OAuthError } from './oauth.errors';

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

function refusal(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('readClientCredentials', () => {
  it('reads Basic credentials, url-decoding each part', () => {
    expect(readClientCredentials(basic('ak_1:s%3Acret'), {})).toEqual({
      clientId: 'ak_1',
      clientSecret: 's:cret',
    });
  });

  it('reads credentials from the form body', () => {
    expect(readClientCredentials(undefined, { client_id: 'ak_1', client_secret: 'x' })).toEqual({
      clientId: 'ak_1',
      clientSecret: 'x',
    });
  });

  it.each([
    ['not basic', 'Bearer abc'],
    ['not base64', 'Basic !!!'],
    ['no colon', basic('ak_1')],
    ['empty id', basic(':secret')],
    ['empty secret', basic('ak_1:')],
    ['bad escape', basic('ak_%zz:secret')],
    ['a NUL in the id', basic('ak_%00:secret')],
    ['an overlong id', basic(`${'a'.repeat(200)}:secret`)],
  ])('refuses a malformed Basic header (%s) as invalid_client, 401', (_, header) => {
    const error = refusal(() => readClientCredentials(header, {}));
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(401);
  });

  it('refuses two authentication methods at once as invalid_request', () => {
    expect(
      refusal(() => readClientCredentials(basic('a:b'), { client_id: 'a', client_secret: 'b' })).code,
    ).toBe('invalid_request');
  });

  it('refuses no credentials at all as invalid_client', () => {
    expect(refusal(() => readClientCredentials(undefined, {})).code).toBe('invalid_client');
  });
});

describe('secretsEqual', () => {
  it('compares whole secrets', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
