import { Type } from '@sinclair/typebox';
import { ParticipantRoles } from '../commands/auth.commands';
import { defineEvent } from './define-event';

const Role = Type.Union(ParticipantRoles.map((r) => Type.Literal(r)));
const Time = Type.String({ format: 'date-time' });

/** Which face of the room a peer entered through: /call/ or /webinar/. */
export const RoomFaces = ['call', 'webinar'] as const;
const Face = Type.Union(RoomFaces.map((f) => Type.Literal(f)));

/** Why a peer is no longer in the room. */
export const PeerLeaveReasons = ['left', 'kicked', 'replaced', 'timed_out', 'room_closed'] as const;

const RoomRef = {
  roomId: Type.String(),
  /** 8 digits, unique among live rooms (the conference's voice-bridge number). */
  conferenceNumber: Type.String({ pattern: '^[0-9]{8}$' }),
};

const PeerRef = {
  ...RoomRef,
  peerId: Type.String(),
  /** One connection of the peer; a replaced connection and its successor differ here only. */
  connectionId: Type.String(),
  displayName: Type.Optional(Type.String()),
  role: Role,
};

/**
 * Where the integrator asked, through the join's URL attributes, to hear about this
 * peer (Gcore's apiEvent and authEvent). authEvent is a credential: consumers must
 * not log it.
 */
const PeerCallbacks = Type.Optional(
  Type.Object({ apiEvent: Type.String(), authEvent: Type.Optional(Type.String()) }),
);

export const RoomStarted = defineEvent({
  type: 'room.started',
  version: 1,
  summary: 'A room came to life with its first participant.',
  data: Type.Object({ ...RoomRef, startedAt: Time, mediaServer: Type.String() }),
});

export const RoomEnded = defineEvent({
  type: 'room.ended',
  version: 1,
  summary: 'The last participant left (or the room was closed): the room ended.',
  data: Type.Object({
    ...RoomRef,
    startedAt: Time,
    endedAt: Time,
    reason: Type.Union([Type.Literal('empty'), Type.Literal('closed')]),
  }),
});

export const RoomSettingsChanged = defineEvent({
  type: 'room.settings-changed',
  version: 1,
  summary: "A room's settings changed (through the API or by a moderator).",
  data: Type.Object({
    roomId: Type.String(),
    conferenceNumber: Type.Optional(RoomRef.conferenceNumber),
    settings: Type.Record(Type.String(), Type.Unknown()),
    by: Type.Optional(Type.String({ description: 'peer id of the moderator, or the API client id' })),
  }),
});

export const PeerJoined = defineEvent({
  type: 'peer.joined',
  version: 1,
  summary: 'A peer was admitted into a room.',
  data: Type.Object({ ...PeerRef, face: Face, joinedAt: Time, callbacks: PeerCallbacks }),
});

export const PeerLeft = defineEvent({
  type: 'peer.left',
  version: 1,
  summary: 'A peer left a room: by itself, removed, replaced by a newer connection, or timed out.',
  data: Type.Object({
    ...PeerRef,
    face: Face,
    joinedAt: Time,
    leftAt: Time,
    reason: Type.Union(PeerLeaveReasons.map((r) => Type.Literal(r))),
    callbacks: PeerCallbacks,
  }),
});

export const PeerRoleChanged = defineEvent({
  type: 'peer.role-changed',
  version: 1,
  summary: "A peer's role changed (e.g. a webinar viewer made speaker).",
  data: Type.Object({
    ...RoomRef,
    peerId: Type.String(),
    /** The connection whose role changed (added later: older events lack it). */
    connectionId: Type.Optional(Type.String()),
    from: Role,
    to: Role,
    by: Type.Optional(Type.String()),
  }),
});

export const PeerJoinRefused = defineEvent({
  type: 'peer.join-refused',
  version: 1,
  summary:
    'A join was refused (room full, locked, token required, …). Announces an answer, not a change: nothing in the room moved.',
  data: Type.Object({
    roomId: Type.String(),
    /** Known when the token or the request named the peer. */
    peerId: Type.Optional(Type.String()),
    /** The stable error code the joiner was answered, e.g. `room_full`, `room_locked`, `token_required`. */
    reason: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 }),
    face: Face,
    at: Time,
  }),
});

/** A joiner may wait in a room nobody is in yet: there is no conference number then. */
const WaitingPeer = {
  roomId: Type.String(),
  conferenceNumber: Type.Optional(RoomRef.conferenceNumber),
  peerId: Type.String(),
  displayName: Type.Optional(Type.String()),
};

export const WaitingRequested = defineEvent({
  type: 'waiting.requested',
  version: 1,
  summary: 'A joiner is waiting in the waiting room for a moderator.',
  data: Type.Object({ ...WaitingPeer, requestedAt: Time }),
});

export const WaitingAdmitted = defineEvent({
  type: 'waiting.admitted',
  version: 1,
  summary: 'A moderator admitted a waiting joiner.',
  data: Type.Object({ ...WaitingPeer, by: Type.String() }),
});

export const WaitingRejected = defineEvent({
  type: 'waiting.rejected',
  version: 1,
  summary: 'A moderator rejected a waiting joiner.',
  data: Type.Object({ ...WaitingPeer, by: Type.String() }),
});

export const HandRaised = defineEvent({
  type: 'hand.raised',
  version: 1,
  summary: 'A participant raised a hand.',
  data: Type.Object({ ...RoomRef, peerId: Type.String() }),
});

export const HandLowered = defineEvent({
  type: 'hand.lowered',
  version: 1,
  summary: 'A raised hand was lowered, by its owner or by a moderator.',
  data: Type.Object({ ...RoomRef, peerId: Type.String(), by: Type.String() }),
});

/** What a moderator can do to a peer or to the room. */
export const ModerationActions = [
  'disable_audio',
  'disable_video',
  'disable_all_audio',
  'disable_all_video',
  'allow_screen_share',
  'forbid_screen_share',
  'request_audio',
  'request_video',
  'request_screen_share',
  'lower_hand',
  'remove_peer',
] as const;

export const ModerationApplied = defineEvent({
  type: 'moderation.applied',
  version: 1,
  summary: 'A moderator acted on a peer or on the whole room.',
  data: Type.Object({
    ...RoomRef,
    action: Type.Union(ModerationActions.map((a) => Type.Literal(a))),
    /** Absent for actions on the whole room. */
    targetPeerId: Type.Optional(Type.String()),
    by: Type.String(),
  }),
});
