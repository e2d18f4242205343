import { defineErrors } from '@confer/http';

/**
 * The rooms service's closed catalogue. Join refusals carry a code a client can
 * branch on and a message a person can read.
 */
export const RoomErrors = defineErrors({
  INVALID_ROOM_ID: { status: 400, message: 'A room id is 1 to 128 letters, digits, "_" or "-"' },
  ROOM_NOT_FOUND: { status: 404, message: 'The room does not exist' },
  PEER_NOT_FOUND: { status: 404, message: 'The peer is not in the room' },
  TOKEN_REQUIRED: { status: 401, message: 'This room can only be entered with a participant token' },
  TOKEN_INVALID: { status: 401, message: 'The participant token was refused' },
  WRONG_ROOM: { status: 403, message: 'The participant token is for another room' },
  FORBIDDEN: { status: 403, message: 'You may not do this in this room' },
  ROOM_LOCKED: { status: 423, message: 'The room is locked; contact its moderator' },
  ROOM_FULL: { status: 423, message: 'The room is full' },
  TOO_EARLY: { status: 425, message: 'The event has not started yet' },
  TOKEN_LIFETIME_EXCEEDED: {
    status: 401,
    message: 'This link has expired: its lifetime counts from the first connection',
  },
  ACCESS_DENIED: { status: 403, message: 'Access to the room was declined' },
  ACCESS_CHECK_UNAVAILABLE: {
    status: 503,
    message: 'The access check could not be completed; try again shortly',
  },
  AUTH_UNAVAILABLE: {
    status: 503,
    message: 'Participant tokens cannot be checked right now; try again shortly',
  },
  OUTBOUND_TARGET_REFUSED: {
    status: 400,
    message: 'The URL points into a private network, which is not allowed',
  },
  // Waiting room and moderation.
  ACTOR_REQUIRED: {
    status: 401,
    message: 'Act with the connectionId your join answered, or with an API access token',
  },
  NOT_IN_ROOM: { status: 403, message: 'Your connection is not in this room' },
  MODERATOR_REQUIRED: { status: 403, message: 'Only a moderator of this room can do this' },
  WAITING_NOT_FOUND: { status: 404, message: 'Nobody is waiting in this room under this id' },
  WAITING_ALREADY_DECIDED: { status: 409, message: 'This joiner was already admitted or rejected' },
  WAITING_EXPIRED: { status: 409, message: 'This joiner is no longer waiting: the request expired' },
  WAITING_TICKET_INVALID: {
    status: 403,
    message: 'This waiting ticket is not valid for this room and peer; join again without it',
  },
  REJECTED_FROM_WAITING_ROOM: { status: 403, message: 'A moderator declined your request to join this room' },
  ROOM_NOT_LIVE: { status: 409, message: 'Nobody is in the room now' },
  HAND_NOT_ENABLED: { status: 403, message: 'Raising a hand is not enabled in this room' },
  HAND_NOT_RAISED: { status: 409, message: "The peer's hand is not raised" },
  MODERATION_NOT_APPLICABLE: { status: 409, message: 'This action does not apply to this peer' },
  // The seed vendors' server APIs (Gcore room API, Coviu, Datagram).
  NO_LIVE_ROOM: { status: 400, message: 'The room does not exist: nobody is in it now' },
  PEER_NOT_PRESENT: { status: 400, message: 'The peer is not in the room' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, message: 'The subscription does not exist' },
  SUBSCRIPTION_EXISTS: { status: 409, message: 'An active subscription with this ref already exists' },
  SUBSCRIPTION_INACTIVE: {
    status: 403,
    message: "The session owner's ref names no active subscription of the organisation",
  },
  SUBSCRIPTION_BUSY: {
    status: 409,
    message: 'This subscription is hosting another session now; it hosts one session at a time',
  },
  ALIAS_NOT_FOUND: { status: 404, message: 'Alias not found' },
});
