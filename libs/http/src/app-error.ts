/** Extra, machine-readable context of an error: an object, or a list of problems. */
export type ErrorDetails = Record<string, unknown> | ReadonlyArray<Record<string, unknown>>;

/**
 * An error the service raises on purpose, with a stable `code` clients may branch
 * on and the HTTP `status` it answers with. Its message and details are meant for
 * the caller, so never put secrets or internals in them. Prefer declaring these
 * through `defineErrors` so each service has one closed catalogue.
 */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}
