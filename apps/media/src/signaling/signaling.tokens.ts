/** The request handlers of joined connections (see requests/joined-handlers.ts). */
export const JOINED_HANDLERS = Symbol('JOINED_HANDLERS');
