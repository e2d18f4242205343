import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event';

const Time = Type.String({ format: 'date-time' });

/** What a track carries; screen sharing is its own track. */
export const TrackSources = ['microphone', 'camera', 'screen', 'screenAudio'] as const;
/** Why a track stopped: its owner closed it, a moderator turned it off, a permission or role change, or the peer left. */
export const TrackEndReasons = ['closed', 'moderator', 'permission', 'role', 'peer_left'] as const;

const RoomRef = {
  roomId: Type.String(),
  conferenceNumber: Type.String({ pattern: '^[0-9]{8}$' }),
};

const TrackRef = {
  ...RoomRef,
  peerId: Type.String(),
  connectionId: Type.String(),
  /** The media server's id for the track (the mediasoup producer id). */
  trackId: Type.String(),
  kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
  source: Type.Union(TrackSources.map((s) => Type.Literal(s))),
  /** An interpreter's audio: the language channel it speaks on. */
  language: Type.Optional(Type.String()),
  /** The media server carrying it. */
  mediaServer: Type.String(),
};

export const TrackPublished = defineEvent({
  type: 'track.published',
  version: 1,
  summary: 'A peer started sending a track (microphone, camera, screen or screen audio).',
  data: Type.Object({ ...TrackRef, paused: Type.Boolean(), publishedAt: Time }),
});

export const TrackUnpublished = defineEvent({
  type: 'track.unpublished',
  version: 1,
  summary: 'A track stopped: its owner closed it, a moderator turned it off, or its peer left.',
  data: Type.Object({
    ...TrackRef,
    reason: Type.Union(TrackEndReasons.map((r) => Type.Literal(r))),
    by: Type.Optional(Type.String({ description: 'The moderator, when one turned it off' })),
    unpublishedAt: Time,
  }),
});

export const TrackPaused = defineEvent({
  type: 'track.paused',
  version: 1,
  summary: 'A peer paused a track (muted its microphone or stopped its camera without closing it).',
  data: Type.Object({ ...TrackRef, at: Time }),
});

export const TrackResumed = defineEvent({
  type: 'track.resumed',
  version: 1,
  summary: 'A paused track is sent again.',
  data: Type.Object({ ...TrackRef, at: Time }),
});

export const ScreenShareStarted = defineEvent({
  type: 'screen-share.started',
  version: 1,
  summary: 'A peer started sharing its screen.',
  data: Type.Object({
    ...RoomRef,
    peerId: Type.String(),
    connectionId: Type.String(),
    trackId: Type.String(),
    startedAt: Time,
  }),
});

export const ScreenShareStopped = defineEvent({
  type: 'screen-share.stopped',
  version: 1,
  summary: 'A screen share ended (stopped by its owner, by a moderator, or the peer left).',
  data: Type.Object({
    ...RoomRef,
    peerId: Type.String(),
    connectionId: Type.String(),
    trackId: Type.String(),
    reason: Type.Union(TrackEndReasons.map((r) => Type.Literal(r))),
    stoppedAt: Time,
  }),
});

export const ActiveSpeakerChanged = defineEvent({
  type: 'active-speaker.changed',
  version: 1,
  summary:
    "The room's dominant speaker changed (at most once per MEDIA_ACTIVE_SPEAKER_MIN_INTERVAL_MS per room; the latest speaker wins).",
  data: Type.Object({
    ...RoomRef,
    peerId: Type.String(),
    trackId: Type.String(),
    at: Time,
  }),
});
