import { Type } from '@sinclair/typebox';
import { defineCommand } from './define-command';

/** Error codes the recording service answers these commands with. */
export const RecordingCommandErrors = {
  alreadyRecording: 'already_recording',
  roomNotLive: 'room_not_live',
  notRecording: 'not_recording',
} as const;

const ByModerator = {
  orgId: Type.String({ minLength: 1 }),
  roomId: Type.String({ minLength: 1 }),
  /** The moderator's peer id; the media service has checked their role and canRecord. */
  peerId: Type.String({ minLength: 1 }),
};

export const StartRoomRecording = defineCommand({
  service: 'recording',
  name: 'recording.start',
  summary: 'A moderator pressed Record: start recording the room (already_recording, room_not_live).',
  request: Type.Object(ByModerator),
  reply: Type.Object({ recordingId: Type.String() }),
});

export const StopRoomRecording = defineCommand({
  service: 'recording',
  name: 'recording.stop',
  summary: "A moderator pressed Stop: stop the room's active recording (not_recording).",
  request: Type.Object(ByModerator),
  reply: Type.Object({ recordingId: Type.String() }),
});
