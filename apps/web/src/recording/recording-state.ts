import type { MessageKey } from '../i18n/messages';

/** A press of Record or Stop. */
export type RecordingAction = 'start' | 'stop';

/**
 * The room's recording as this page knows it. `recording` is only ever what the media
 * service says (the join or resume reply, then `recordingChanged`), so every participant
 * sees the same thing; the rest is this page's own presses.
 */
export interface RecordingState {
  recording: boolean;
  /** A startRecording / stopRecording request awaiting its reply. */
  inFlight: RecordingAction | null;
  /**
   * Accepted, but the media service has not yet said the room's state changed: the
   * recorder is still connecting to the room, or finishing. Until then the control stays busy.
   */
  awaiting: RecordingAction | null;
  /** The last refusal, shown until the next press. */
  refusal: { code: string; message: string } | null;
}

export const NOT_RECORDING: RecordingState = {
  recording: false,
  inFlight: null,
  awaiting: null,
  refusal: null,
};

/** The media service told us the room's state (join or resume reply, `recordingChanged`). */
export function observed(state: RecordingState, recording: boolean): RecordingState {
  const confirmed = state.awaiting === (recording ? 'start' : 'stop');
  return { ...state, recording, awaiting: confirmed ? null : state.awaiting };
}

export function pressed(state: RecordingState, action: RecordingAction): RecordingState {
  return { ...state, inFlight: action, awaiting: null, refusal: null };
}

/** The service accepted: wait for the room's state to follow, unless it already has. */
export function accepted(state: RecordingState, action: RecordingAction): RecordingState {
  const done = state.recording === (action === 'start');
  return { ...state, inFlight: null, awaiting: done ? null : action };
}

export function refused(state: RecordingState, code: string, message: string): RecordingState {
  return { ...state, inFlight: null, awaiting: null, refusal: { code, message } };
}

/** The room's state never followed an accepted press: let the control follow the room again. */
export function gaveUpWaiting(state: RecordingState): RecordingState {
  return { ...state, awaiting: null };
}

/** What the Record / Stop control shows, or null when this peer may not record. */
export interface RecordingControl {
  /** What pressing it does; nothing while busy. */
  action: RecordingAction | null;
  busy: boolean;
  label: MessageKey;
}

export function recordingControl(state: RecordingState, mayRecord: boolean): RecordingControl | null {
  if (!mayRecord) return null;
  const busyWith = state.inFlight ?? state.awaiting;
  if (busyWith)
    return {
      action: null,
      busy: true,
      label: busyWith === 'start' ? 'recordingStarting' : 'recordingStopping',
    };
  return state.recording
    ? { action: 'stop', busy: false, label: 'stopRecording' }
    : { action: 'start', busy: false, label: 'record' };
}

/** The `record` permission (a moderator whose token carries canRecord: true); absent means no. */
export function mayRecord(permissions: Record<string, unknown> | undefined): boolean {
  return permissions?.record === true;
}

/**
 * Refusals of startRecording / stopRecording (the media service's codes) the page words
 * itself; any other code is shown with the service's own message.
 */
const REFUSALS: Record<string, MessageKey> = {
  not_allowed_to_record: 'recordingNotAllowed',
  already_recording: 'recordingAlreadyOn',
  not_recording: 'recordingAlreadyOff',
  room_not_live: 'recordingRoomNotLive',
  recording_unavailable: 'recordingUnavailable',
  // Ours: the signaling connection went before the answer came (a resume follows).
  unreachable: 'recordingUnavailable',
};

export function refusalMessageKey(code: string): MessageKey | undefined {
  return Object.hasOwn(REFUSALS, code) ? REFUSALS[code] : undefined;
}
