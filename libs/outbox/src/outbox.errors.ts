/** Base of every error the outbox library raises. */
export class OutboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * OutboxWriter.add was given a manager outside a transaction: the row would commit on its
 * own, and the state change it announces could still roll back (or the reverse).
 */
export class OutboxNotInTransaction extends OutboxError {
  constructor(readonly eventType: string) {
    super(`OutboxWriter.add(${eventType}) needs the EntityManager of an active transaction`);
  }
}

/**
 * The relay cannot map a row back to a contract. At write time this is a wiring mistake
 * (add the contract to OutboxModule's `contracts`); at relay time, a row written by a newer
 * version of the service during a rolling deploy, which a newer replica will publish.
 */
export class UnknownOutboxContract extends OutboxError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(`No contract for ${eventType}.v${schemaVersion} is known to this outbox`);
  }
}

/** The app's schema has no event_outbox table: CreateEventOutbox is missing from its migrations. */
export class OutboxNotMigrated extends OutboxError {
  constructor(readonly schema: string) {
    super(
      `Schema "${schema}" has no event_outbox table: add CreateEventOutbox1764100000000 to the service's migrations`,
    );
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
