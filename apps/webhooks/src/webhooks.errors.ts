import { defineErrors } from '@confer/http';

/** The webhooks service's closed catalogue. */
export const WebhookErrors = defineErrors({
  INVALID_ENDPOINT: { status: 400, message: 'The endpoint must be an absolute https URL' },
  ENDPOINT_REFUSED: {
    status: 400,
    message: 'The endpoint points into a private network, which is not allowed',
  },
  NOT_CONFERENCE_OWNER: {
    status: 403,
    message:
      'Only the organisation (client credentials) or an owner of the conference (a participant token moderating its room) may do this',
  },
  CONFERENCE_NOT_FOUND: { status: 404, message: 'No live conference has this id' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, message: 'The subscription does not exist' },
  DELIVERY_NOT_FOUND: { status: 404, message: 'The delivery does not exist' },
});
