import { AppError } from '@confer/http';
import { roomPageUrl, sessionIdOf } from './session-link';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (payload: unknown) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.c2ln`;

describe('session links', () => {
  it('reads the sid of a session link', () => {
    expect(sessionIdOf(token({ sid: 'consult-9', rle: 'guest' }))).toBe('consult-9');
  });

  it.each([
    ['not a JWS', 'hello'],
    ['a payload that is not JSON', 'a.b.c'],
    ['no sid', token({ rle: 'owner' })],
    ['a sid that is not a string', token({ sid: 42 })],
    ['a JSON null payload', `${b64({})}.${b64(null)}.x`],
  ])('refuses %s as a malformed token (401)', (_case, value) => {
    let thrown: unknown;
    try {
      sessionIdOf(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 401, code: 'token_invalid', details: { reason: 'malformed' } });
  });

  it('sends the browser to the call page with the room and the token', () => {
    expect(roomPageUrl('https://meet.example.com/', 'r-1', 'a.b.c')).toBe(
      'https://meet.example.com/call/?roomId=r-1&token=a.b.c',
    );
  });
});
