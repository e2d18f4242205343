import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event';

const Time = Type.String({ format: 'date-time' });

/** How a recording began: a moderator in the room, the API, or the organisation's auto-recording. */
export const RecordingTriggers = ['moderator', 'api', 'auto'] as const;
/** Why a recording stopped. */
export const RecordingStopReasons = ['requested', 'room_ended', 'auto_stop', 'failed'] as const;

const RecordingRef = {
  recordingId: Type.String(),
  roomId: Type.String(),
};

export const RecordingStarted = defineEvent({
  type: 'recording.started',
  version: 1,
  summary: 'A recording of a room began (by a moderator, through the API, or by auto-recording).',
  data: Type.Object({
    ...RecordingRef,
    trigger: Type.Union(RecordingTriggers.map((t) => Type.Literal(t))),
    /** The moderator's peer id or the API key that started it. */
    startedBy: Type.Optional(Type.String()),
    startedAt: Time,
  }),
});

export const RecordingPartCompleted = defineEvent({
  type: 'recording.part-completed',
  version: 1,
  summary:
    'One part of a recording (at most maxPartSeconds long) was closed and its files are stored; `interrupted` when the recorder died during it.',
  data: Type.Object({
    ...RecordingRef,
    partId: Type.String(),
    partNumber: Type.Integer({ minimum: 1 }),
    startedAt: Time,
    endedAt: Time,
    durationSeconds: Type.Number({ minimum: 0 }),
    interrupted: Type.Boolean(),
  }),
});

export const RecordingStopped = defineEvent({
  type: 'recording.stopped',
  version: 1,
  summary: 'A recording stopped taking media; its last part is being finished.',
  data: Type.Object({
    ...RecordingRef,
    reason: Type.Union(RecordingStopReasons.map((r) => Type.Literal(r))),
    stoppedBy: Type.Optional(Type.String()),
    stoppedAt: Time,
  }),
});

export const RecordingReady = defineEvent({
  type: 'recording.ready',
  version: 1,
  summary: 'Every part of a recording is stored and can be played or downloaded.',
  data: Type.Object({
    ...RecordingRef,
    parts: Type.Integer({ minimum: 0 }),
    /** The parts' durations added up. */
    durationSeconds: Type.Number({ minimum: 0 }),
    readyAt: Time,
  }),
});

export const RecordingFailed = defineEvent({
  type: 'recording.failed',
  version: 1,
  summary: 'A recording failed (storage full or unwritable, media unavailable); parts already stored stay.',
  data: Type.Object({
    ...RecordingRef,
    reason: Type.String(),
    failedAt: Time,
  }),
});

export const RecordingDeleted = defineEvent({
  type: 'recording.deleted',
  version: 1,
  summary: "A recording's files were deleted, on request or past the organisation's retention.",
  data: Type.Object({
    ...RecordingRef,
    reason: Type.Union([Type.Literal('requested'), Type.Literal('retention')]),
    deletedAt: Time,
  }),
});
