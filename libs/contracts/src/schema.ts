import { TSchema, Static, FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler, TypeCheck } from '@sinclair/typebox/compiler';

// TypeBox knows no string formats by itself: an unregistered `format` fails every value.
// RFC 3339 date-time, as the CloudEvents `time` attribute requires.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

/** Why a payload failed its schema, as "path: message" lines a log or an error body can carry. */
export class SchemaViolation extends Error {
  constructor(
    readonly schemaName: string,
    readonly problems: string[],
  ) {
    super(`${schemaName} is invalid: ${problems.join('; ')}`);
    this.name = 'SchemaViolation';
  }
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Validates `value` against `schema` (compiled once) and returns it typed, or throws SchemaViolation. */
export function parseWith<T extends TSchema>(schema: T, value: unknown, schemaName: string): Static<T> {
  const check = checkerFor(schema);
  if (check.Check(value)) return value;
  const problems = [...check.Errors(value)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  throw new SchemaViolation(schemaName, problems);
}
