/** Injection token of the ResolvedOutboxOptions. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
