import { defineErrors } from '@confer/http';

/**
 * The auth service's closed catalogue of API errors; codes are stable. (The token
 * endpoint answers RFC 6749's own codes, see oauth/oauth.errors.ts, and participant
 * tokens have theirs in participant-tokens/participant-token.errors.ts.)
 */
export const AuthErrors = defineErrors({
  ORGANISATION_NOT_FOUND: { status: 404, message: 'The organisation does not exist' },
  API_KEY_NOT_FOUND: { status: 404, message: 'The API key does not exist' },
  LAST_LIVE_API_KEY: {
    status: 409,
    message: "This is the organisation's last live API key; create another before revoking it",
  },
});
