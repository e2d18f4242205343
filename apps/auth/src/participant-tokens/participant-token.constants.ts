/** The `aud` of every participant token Confer mints, so no other token of ours can stand in for one. */
export const CONFER_PARTICIPANT_AUDIENCE = 'confer:participant';

/** Header `cty` that marks a Twilio-style access token. */
export const TWILIO_CONTENT_TYPE = 'twilio-fpa;v=1';

/** Twilio access tokens may live at most a day. */
export const TWILIO_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/** Slack granted to exp/nbf for clock drift between integrators and us. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** How long the key adapter keeps a looked-up key; bounds how late a revocation is seen by another replica. */
export const KEY_CACHE_TTL_MS = 5_000;

export const MIN_PARTICIPANT_TOKEN_TTL_SECONDS = 60;
export const DEFAULT_PARTICIPANT_TOKEN_TTL_SECONDS = 3600;
