import { AppError, ErrorDetails } from './app-error';

export interface ErrorDefinition {
  /** An HTTP error status, 400-599. */
  status: number;
  /** Default message shown to the caller. */
  message: string;
}

export interface ErrorOptions {
  /** Replaces the catalogue message, e.g. to name the missing resource. */
  message?: string;
  /** The underlying error, kept for logs and never sent to the caller. */
  cause?: unknown;
}

/** `ROOM_NOT_FOUND` → `roomNotFound`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
export type FactoryName<K extends string> = CamelCase<Lowercase<K>>;

/** Builds one catalogued error; also carries what it builds, for docs and checks. */
export interface ErrorFactory<C extends string = string> {
  (details?: ErrorDetails, options?: ErrorOptions): AppError<C>;
  readonly code: C;
  readonly status: number;
  readonly message: string;
  /** True when `error` is an AppError of this catalogue entry. */
  is(error: unknown): error is AppError<C>;
}

export type ErrorCatalogue<D extends Record<string, ErrorDefinition>> = {
  readonly [K in keyof D & string as FactoryName<K>]: ErrorFactory<Lowercase<K>>;
};

const KEY_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

function factoryName(key: string): string {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function errorFactory<C extends string>(code: C, definition: ErrorDefinition): ErrorFactory<C> {
  const create = (details?: ErrorDetails, options: ErrorOptions = {}): AppError<C> =>
    new AppError(code, definition.status, options.message ?? definition.message, details, {
      cause: options.cause,
    });
  return Object.assign(create, {
    code,
    status: definition.status,
    message: definition.message,
    is: (error: unknown): error is AppError<C> => error instanceof AppError && error.code === code,
  });
}

/**
 * Declares a service's closed catalogue of errors once. Keys are UPPER_SNAKE_CASE;
 * the wire code is the key in lower case and each factory is named in camelCase:
 *
 *   export const RoomErrors = defineErrors({ ROOM_NOT_FOUND: { status: 404, message: 'Room not found' } });
 *   throw RoomErrors.roomNotFound({ roomId });   // 404 { error: { code: 'room_not_found', ... } }
 *
 * Malformed entries throw at definition time, i.e. as soon as the service loads.
 */
export function defineErrors<const D extends Record<string, ErrorDefinition>>(
  definitions: D,
): ErrorCatalogue<D> {
  const catalogue: Record<string, ErrorFactory> = {};
  for (const [key, definition] of Object.entries(definitions)) {
    if (!KEY_PATTERN.test(key)) throw new Error(`Error key "${key}" must be UPPER_SNAKE_CASE`);
    if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
      throw new Error(`Error ${key} has status ${definition.status}; an error status is 400-599`);
    }
    catalogue[factoryName(key)] = errorFactory(key.toLowerCase(), definition);
  }
  return Object.freeze(catalogue) as ErrorCatalogue<D>;
}

/** Every entry of a catalogue, e.g. to document or test it. */
export function listErrors<D extends Record<string, ErrorDefinition>>(
  catalogue: ErrorCatalogue<D>,
): ErrorFactory[] {
  return Object.values(catalogue) as ErrorFactory[];
}
