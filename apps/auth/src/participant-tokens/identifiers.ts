/**
 * What an identifier taken from a token or a request must look like before it is
 * used to look anything up or handed to another service. PostgreSQL refuses NUL in
 * text outright (the query fails, which would read as an outage), and no key id,
 * alias, organisation, room or peer id of ours holds a control character or runs to
 * kilobytes; so such values are refused up front, as the caller's mistake.
 */
export const MAX_IDENTIFIER_LENGTH = 256;

// C0 controls, DEL and C1 controls: none belongs in an identifier.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** For validators that want the rule as a pattern: no control character anywhere. */
// eslint-disable-next-line no-control-regex
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** Why `value` is not a usable identifier, phrased to follow its name; undefined when it is one. */
export function identifierProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_IDENTIFIER_LENGTH)
    return `must be at most ${MAX_IDENTIFIER_LENGTH} characters long (it has ${value.length})`;
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  return undefined;
}

export function isIdentifier(value: unknown): value is string {
  return identifierProblem(value) === undefined;
}
