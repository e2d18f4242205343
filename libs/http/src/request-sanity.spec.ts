import { AppError } from './app-error';
import { bodyProblem, requestSanity } from './request-sanity';

function run(request: { path?: string; body?: unknown }): AppError | undefined {
  let result: unknown;
  requestSanity(request, undefined, (error) => (result = error));
  return result as AppError | undefined;
}

describe('requestSanity', () => {
  it('lets ordinary requests through, tabs and new lines included', () => {
    expect(
      run({ path: '/v1/orgs/org_1/api-keys', body: { name: 'Acme\tHealth\nBilling', tags: ['a', 'b'] } }),
    ).toBeUndefined();
  });

  it.each([
    ['a NUL in the path', { path: '/v1/orgs/org_1/api-keys/%00' }, 'path contains a control character'],
    ['broken percent-encoding', { path: '/v1/orgs/%E0%A4%A' }, 'not valid percent-encoding'],
    [
      'a NUL in a body string',
      { path: '/x', body: { name: 'a\u0000b' } },
      'body.name contains a control character',
    ],
    ['a NUL in a key', { path: '/x', body: { ['a\u0000']: 1 } }, 'key with a control character'],
  ])('refuses %s with 400', (_, request, message) => {
    const error = run(request);
    expect(error).toBeInstanceOf(AppError);
    expect(error?.status).toBe(400);
    expect(error?.message).toContain(message);
  });

  it('refuses bodies nested deeper than 32 levels', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    expect(bodyProblem(deep)).toMatch(/nested deeper than 32/);
    expect(run({ path: '/x', body: deep })?.status).toBe(400);
  });
});
