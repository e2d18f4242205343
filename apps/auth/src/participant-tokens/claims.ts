import { JWTPayload } from 'jose';
import { identifierProblem } from './identifiers';
import { refuse } from './token-refusal';

/**
 * Typed reads of verified claims. An absent claim the form needs is `missing_claim`;
 * a claim of the wrong type is `malformed`. Messages name the claim so integrators
 * can fix their token without guessing.
 */
type Claims = JWTPayload | Record<string, unknown>;

function present(claims: Claims, name: string): boolean {
  const value = claims[name];
  return value !== undefined && value !== null && value !== '';
}

export function optionalString(claims: Claims, name: string, label = name): string | undefined {
  if (!present(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value !== 'string') refuse('malformed', `Claim "${label}" must be a string`);
  return value;
}

export function requiredString(claims: Claims, name: string, why: string, label = name): string {
  const value = optionalString(claims, name, label);
  if (value === undefined) refuse('missing_claim', `Claim "${label}" is required: ${why}`);
  return value;
}

/**
 * An identifier integrators may send as a string or as a number (user ids often are
 * numeric). Whatever the form, it must be a usable identifier (see identifiers.ts).
 */
export function optionalIdentifier(claims: Claims, name: string, label = name): string | undefined {
  if (!present(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') refuse('malformed', `Claim "${label}" must be a string`);
  return wellFormed(value, `Claim "${label}"`);
}

/** A string identifier the form cannot do without (its document types it as a string). */
export function requiredIdentifier(claims: Claims, name: string, why: string, label = name): string {
  return wellFormed(requiredString(claims, name, why, label), `Claim "${label}"`);
}

/** A string identifier the form can do without. */
export function optionalStringIdentifier(claims: Claims, name: string, label = name): string | undefined {
  const value = optionalString(claims, name, label);
  return value === undefined ? undefined : wellFormed(value, `Claim "${label}"`);
}

/**
 * The id of a key, read from the token before its signature is checked (header "kid",
 * claim "iss" or "alias"). Checked before any lookup: a value that cannot be an id
 * names no key, and must not reach the database.
 */
export function keyIdentifier(value: unknown, label: string): string {
  if (typeof value !== 'string') refuse('malformed', `${label} must be a string naming a key`);
  const problem = identifierProblem(value);
  if (problem !== undefined) refuse('unknown_key', `${label} cannot name a key: it ${problem}`);
  return value;
}

function wellFormed(value: string, label: string): string {
  const problem = identifierProblem(value);
  if (problem !== undefined) refuse('malformed', `${label} ${problem}`);
  return value;
}

export function optionalBoolean(claims: Claims, name: string, label = name): boolean | undefined {
  if (!present(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value !== 'boolean') refuse('malformed', `Claim "${label}" must be true or false`);
  return value;
}

export function optionalNumber(claims: Claims, name: string, label = name): number | undefined {
  if (!present(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value !== 'number' || !Number.isFinite(value))
    refuse('malformed', `Claim "${label}" must be a number`);
  return value;
}

export function optionalObject(
  claims: Claims,
  name: string,
  label = name,
): Record<string, unknown> | undefined {
  if (!present(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse('malformed', `Claim "${label}" must be an object`);
  return value as Record<string, unknown>;
}

/** NumericDate claims as whole epoch seconds (the reply schema wants integers). */
export function epochSeconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.floor(value);
}

/** Drops undefined entries so attributes carry only what the token said. */
export function definedEntries(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
