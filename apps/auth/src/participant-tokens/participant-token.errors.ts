import { defineErrors } from '@confer/http';

/** The HTTP errors of the participant-token endpoints; codes are stable. */
export const ParticipantTokenErrors = defineErrors({
  INVALID_PUBLIC_KEY: {
    status: 400,
    message: 'The key is not a PEM-encoded RSA public key of at least 2048 bits',
  },
  PUBLIC_KEY_NOT_FOUND: { status: 404, message: 'No such public key in this organisation' },
});
