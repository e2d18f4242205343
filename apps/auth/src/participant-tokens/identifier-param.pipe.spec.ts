import { AppError } from '@confer/http';
import { IdentifierParamPipe } from './identifier-param.pipe';

describe('IdentifierParamPipe', () => {
  const pipe = new IdentifierParamPipe();
  const param = (data: string) => ({ type: 'param' as const, data });

  it('passes an ordinary id through', () => {
    expect(pipe.transform('opk_abc123', param('keyId'))).toBe('opk_abc123');
  });

  it.each([
    ['a NUL byte', 'opk_\u0000', 'keyId must not contain control characters'],
    ['a tab', 'opk\t1', 'keyId must not contain control characters'],
    ['257 characters', 'k'.repeat(257), 'keyId must be at most 256 characters long (it has 257)'],
    ['nothing', '', 'keyId must not be empty'],
  ])('refuses %s with 400 invalid_request naming the parameter', (_what, value, message) => {
    let thrown: unknown;
    try {
      pipe.transform(value, param('keyId'));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 400, code: 'invalid_request', message });
  });
});
