import { defineErrors } from '@confer/http';

/**
 * The media service's closed catalogue of refusals. On the signaling socket a refusal
 * is `{ id, ok: false, error: { code, message } }` with the lower-case code below.
 */
export const MediaErrors = defineErrors({
  INVALID_MESSAGE: { status: 400, message: 'The message is not a valid signaling request' },
  UNKNOWN_METHOD: { status: 400, message: 'No such signaling method' },
  NOT_JOINED: { status: 401, message: 'The first request must be join, with a join grant' },
  ALREADY_JOINED: { status: 409, message: 'This connection has already joined' },
  INVALID_GRANT: { status: 401, message: 'The join grant is invalid or expired' },
  INVALID_RESUME_TOKEN: {
    status: 401,
    message: 'Nothing to resume with that token (the peer has left); join again with a grant',
  },
  WRONG_MEDIA_SERVER: { status: 403, message: 'The join grant is for another media server' },
  NOT_ALLOWED_TO_PUBLISH: { status: 403, message: 'Your role does not allow publishing this media' },
  NOT_ALLOWED_TO_SUBSCRIBE: { status: 403, message: 'Your role does not allow receiving media' },
  TOO_MANY_BROADCASTERS: { status: 409, message: 'The room has as many peers sending media as it allows' },
  LANGUAGE_NOT_AVAILABLE: { status: 404, message: 'No interpreter speaks that language in this room' },
  NOT_ALLOWED_TO_CHAT: { status: 403, message: 'Chat is disabled for you in this room' },
  PEER_NOT_FOUND: { status: 404, message: 'No such peer in this room' },
  RATE_LIMITED: { status: 429, message: 'Too many messages; slow down' },
  TRANSPORT_NOT_FOUND: { status: 404, message: 'No such transport on this connection' },
  PRODUCER_NOT_FOUND: { status: 404, message: 'No such producer' },
  CONSUMER_NOT_FOUND: { status: 404, message: 'No such consumer on this connection' },
  CANNOT_CONSUME: { status: 400, message: 'This device cannot receive that producer' },
  MEDIA_FAILED: { status: 500, message: 'The media server could not do that' },
  NOT_ALLOWED_TO_RECORD: { status: 403, message: 'Your role does not allow recording this room' },
  ALREADY_RECORDING: { status: 409, message: 'This room is already being recorded' },
  NOT_RECORDING: { status: 409, message: 'This room is not being recorded' },
  ROOM_NOT_LIVE: {
    status: 409,
    message: 'The recorder could not find this room live on a media server yet; try again in a moment',
  },
  RECORDING_UNAVAILABLE: {
    status: 503,
    message: 'The recording service did not answer; try again in a moment',
  },
  PLAIN_INGEST_DISABLED: {
    status: 403,
    message: 'This media server does not take plain RTP (MEDIA_PLAIN_INGEST is off); use a WebRTC transport',
  },
  DRAINING: {
    status: 503,
    message: 'This media server is shutting down and takes no new room; join again to be placed on another',
  },
});
