import { defineErrors } from '@confer/http';

/** The recording service's closed catalogue of errors. */
export const RecordingErrors = defineErrors({
  INVALID_ROOM_ID: { status: 400, message: 'A room id is 1 to 128 letters, digits, "_" or "-"' },
  INVALID_RECORDING_ID: { status: 400, message: 'A recording id is a UUID' },
  INVALID_QUERY: { status: 400, message: 'The query is not valid' },
  CREDENTIALS_REQUIRED: {
    status: 401,
    message:
      'Send an organisation access token as "Authorization: Bearer <token>", or a moderator\'s participant token as "token" in the body',
  },
  TOKEN_REFUSED: { status: 401, message: 'The participant token was refused' },
  MODERATOR_REQUIRED: { status: 403, message: 'Only a moderator may start or stop a recording' },
  CAN_RECORD_REQUIRED: {
    status: 403,
    message: 'The participant token does not allow recording: it needs "canRecord": true',
  },
  WRONG_ORGANISATION: { status: 403, message: 'An access token may only act on its own organisation' },
  SIGNATURE_REQUIRED: { status: 403, message: 'This file address must be signed and unexpired' },
  RECORDING_NOT_FOUND: { status: 404, message: 'There is no such recording' },
  ROOM_NOT_LIVE: { status: 404, message: 'The room is not live: nobody is in it' },
  FILE_NOT_FOUND: { status: 404, message: 'There is no such file' },
  VIDEO_NOT_FOUND: { status: 404, message: 'There is no such video' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The range asked for lies outside the file' },
  ALREADY_RECORDING: { status: 409, message: 'The room is already being recorded' },
  NOT_RECORDING: { status: 409, message: 'The recording is not running' },
  RECORDING_ACTIVE: { status: 409, message: 'Stop the recording before deleting it' },
});
