import { HttpErrors } from './http-errors';

/** Deeper than any body our APIs accept; deeper ones only serve to exhaust the stack. */
export const MAX_BODY_DEPTH = 32;

// C0 controls except tab, line feed and carriage return, plus DEL. PostgreSQL refuses
// NUL in text outright, and no identifier or name of ours legitimately holds one.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/** The first problem of a parsed body, or undefined when it is fine. */
export function bodyProblem(value: unknown, depth = 0, path = 'body'): string | undefined {
  if (depth > MAX_BODY_DEPTH) return `${path} is nested deeper than ${MAX_BODY_DEPTH} levels`;
  if (typeof value === 'string')
    return hasControlCharacter(value) ? `${path} contains a control character` : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (hasControlCharacter(key)) return `${path} has a key with a control character`;
    const problem = bodyProblem(
      child,
      depth + 1,
      Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`,
    );
    if (problem) return problem;
  }
  return undefined;
}

interface RequestLike {
  path?: string;
  url?: string;
  body?: unknown;
}

type Next = (error?: unknown) => void;

/**
 * Refuses, with 400, requests whose path or body carry control characters or absurd
 * nesting, before they reach a validator that would recurse or a database that would
 * throw. Runs after the body parsers.
 */
export function requestSanity(request: RequestLike, _response: unknown, next: Next): void {
  let path = request.path ?? request.url ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    return next(
      HttpErrors.invalidRequest(undefined, { message: 'The request path is not valid percent-encoding' }),
    );
  }
  if (hasControlCharacter(path)) {
    return next(
      HttpErrors.invalidRequest(undefined, { message: 'The request path contains a control character' }),
    );
  }
  const problem = bodyProblem(request.body);
  next(problem ? HttpErrors.invalidRequest({ field: 'body' }, { message: problem }) : undefined);
}
