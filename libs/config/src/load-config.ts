import { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Raised at start-up when the environment does not satisfy a service's config schema. */
export class InvalidConfiguration extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfiguration';
  }
}

/**
 * Reads a service's configuration once, from environment variables named like the
 * schema's keys (which are written in UPPER_SNAKE_CASE), applying defaults and
 * converting "42"/"true" to numbers and booleans. Every problem is reported at once.
 */
export function loadConfig<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  if (Value.Check(schema, converted)) return converted as Static<T>;
  const problems = [...Value.Errors(schema, converted)].map((e) => {
    const name = e.path.replace(/^\//, '') || '(root)';
    return converted && (converted as Record<string, unknown>)[name] === undefined
      ? `${name} is required`
      : `${name}: ${e.message}`;
  });
  throw new InvalidConfiguration([...new Set(problems)]);
}
