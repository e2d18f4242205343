/** Base of every error the bus library raises, so callers can tell bus trouble from their own. */
export class BusError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** NATS could not be reached at start-up, after the bounded retry. */
export class BusConnectionError extends BusError {
  constructor(
    readonly servers: string[],
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `Cannot connect to NATS at ${servers.join(', ')} after ${attempts} attempt(s): ${describe(cause)}`,
      { cause },
    );
  }
}

/** The bus cannot serve right now (closed, draining or not answering); what /readyz reports. */
export class BusNotReady extends BusError {}

/** JetStream did not store an event (no stream for the subject, timeout, stream limits...). */
export class EventPublishFailed extends BusError {
  constructor(
    readonly subject: string,
    readonly eventId: string,
    cause: unknown,
  ) {
    super(`Publishing event ${eventId} to ${subject} failed: ${describe(cause)}`, { cause });
  }
}

/** Base of the errors CommandClient.request raises; `subject` says which command. */
export class CommandCallError extends BusError {
  constructor(
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No reply arrived in time; the command may or may not have run. */
export class CommandTimeout extends CommandCallError {
  constructor(
    subject: string,
    readonly timeoutMs: number,
  ) {
    super(subject, `No reply to ${subject} within ${timeoutMs} ms`);
  }
}

/** Nobody serves the command (NATS "no responders"), or the connection is closed. */
export class CommandUnavailable extends CommandCallError {
  constructor(subject: string, reason: string, cause?: unknown) {
    super(subject, `${subject} is unavailable: ${reason}`, { cause });
  }
}

/** The serving side refused the command with a stable error code from its catalogue. */
export class CommandFailed extends CommandCallError {
  constructor(
    subject: string,
    readonly code: string,
    readonly remoteMessage: string,
  ) {
    super(subject, `${subject} failed with ${code}: ${remoteMessage}`);
  }
}

/**
 * The request breaks the command's schema; detected before sending. A CommandFailed with
 * code invalid_request, like the serving side's refusal, so callers handle both alike.
 */
export class CommandRequestInvalid extends CommandFailed {
  constructor(
    subject: string,
    readonly problems: string[],
  ) {
    super(subject, 'invalid_request', problems.join('; '));
  }
}

/** The reply does not match the command's reply schema (a contract mismatch between versions). */
export class CommandReplyInvalid extends CommandCallError {
  constructor(
    subject: string,
    readonly problems: string[],
  ) {
    super(subject, `Reply to ${subject} is invalid: ${problems.join('; ')}`);
  }
}

/**
 * Throw from a command handler to refuse with a stable code; the caller receives a
 * CommandFailed with the same code and message.
 */
export class CommandRejection extends Error {
  constructor(
    readonly code: string,
    message: string = code,
  ) {
    super(message);
    this.name = 'CommandRejection';
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
