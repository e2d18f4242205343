import type { ValidationError } from 'class-validator';
import type { Paramtype } from '@nestjs/common';

/** One invalid field of a request and everything wrong with it. */
export interface ValidationProblem extends Record<string, unknown> {
  /** Dotted path inside the validated object, e.g. `name` or `address.city`. */
  field: string;
  problems: string[];
}

function childPath(parent: string, property: string): string {
  if (!parent) return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/** Flattens class-validator's tree of errors into one entry per invalid field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const error of errors) {
    const field = childPath(parent, error.property ?? '');
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) problems.push({ field, problems: messages });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

const LOCATIONS: Partial<Record<Paramtype, string>> = { body: 'body', query: 'query', param: 'params' };

/**
 * A message naming the first problem's field where the client sent it, e.g.
 * `body.name must be a string`: class-validator's messages name only the leaf
 * property, which is ambiguous once DTOs nest or the same name is in the query.
 */
export function validationMessage(problems: ValidationProblem[], location: Paramtype): string {
  const first = problems[0];
  if (!first || first.problems.length === 0) return 'The request is invalid';
  const prefix = LOCATIONS[location];
  const path = [prefix, first.field].filter(Boolean).join('.');
  const problem = first.problems[0];
  const leaf = first.field.split(/[.[]/).pop()?.replace(/]$/, '') ?? '';
  if (leaf && problem.startsWith(`${leaf} `)) return `${path}${problem.slice(leaf.length)}`;
  return path ? `${path}: ${problem}` : problem;
}
