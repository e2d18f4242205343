import {
  accepted,
  gaveUpWaiting,
  mayRecord,
  NOT_RECORDING,
  observed,
  pressed,
  recordingControl,
  refusalMessageKey,
  refused,
} from './recording-state';

describe('recording state', () => {
  it('shows the control only to a peer whose permissions have record', () => {
    expect(mayRecord({ moderate: true, record: true })).toBe(true);
    expect(mayRecord({ moderate: true, record: false })).toBe(false);
    expect(mayRecord({ moderate: true })).toBe(false);
    expect(mayRecord(undefined)).toBe(false);
    expect(recordingControl(NOT_RECORDING, false)).toBeNull();
    expect(recordingControl(NOT_RECORDING, true)).toEqual({ action: 'start', busy: false, label: 'record' });
  });

  it('offers Stop while the room is recorded, whoever started it', () => {
    const recorded = observed(NOT_RECORDING, true);
    expect(recorded.recording).toBe(true);
    expect(recordingControl(recorded, true)).toEqual({ action: 'stop', busy: false, label: 'stopRecording' });
  });

  it('stays busy from the press until the room is said to be recorded', () => {
    const starting = pressed(NOT_RECORDING, 'start');
    expect(recordingControl(starting, true)).toEqual({
      action: null,
      busy: true,
      label: 'recordingStarting',
    });
    const waiting = accepted(starting, 'start');
    expect(waiting.awaiting).toBe('start');
    expect(recordingControl(waiting, true)?.busy).toBe(true);
    const recorded = observed(waiting, true);
    expect(recorded.awaiting).toBeNull();
    expect(recordingControl(recorded, true)).toMatchObject({ action: 'stop', busy: false });
  });

  it('is done at once when recordingChanged came before the reply', () => {
    const early = observed(pressed(NOT_RECORDING, 'start'), true);
    expect(recordingControl(early, true)?.busy).toBe(true);
    const done = accepted(early, 'start');
    expect(done.awaiting).toBeNull();
    expect(recordingControl(done, true)).toMatchObject({ action: 'stop', busy: false });
  });

  it('stops the same way, waiting for the room to be said not recorded', () => {
    const recorded = observed(NOT_RECORDING, true);
    const stopping = accepted(pressed(recorded, 'stop'), 'stop');
    expect(recordingControl(stopping, true)).toEqual({
      action: null,
      busy: true,
      label: 'recordingStopping',
    });
    // Another change of the room (still recorded) does not end the wait.
    expect(observed(stopping, true).awaiting).toBe('stop');
    expect(recordingControl(observed(stopping, false), true)).toMatchObject({ action: 'start', busy: false });
  });

  it('keeps a refusal until the next press, and follows the room again', () => {
    const refusedState = refused(pressed(NOT_RECORDING, 'start'), 'room_not_live', 'not live yet');
    expect(refusedState.refusal).toEqual({ code: 'room_not_live', message: 'not live yet' });
    expect(recordingControl(refusedState, true)).toMatchObject({ action: 'start', busy: false });
    expect(pressed(refusedState, 'start').refusal).toBeNull();
  });

  it('lets the control follow the room when the room never followed an accepted press', () => {
    const waiting = accepted(pressed(NOT_RECORDING, 'start'), 'start');
    expect(recordingControl(gaveUpWaiting(waiting), true)).toMatchObject({ action: 'start', busy: false });
  });

  it("words the media service's refusals, and leaves the others to the service's message", () => {
    expect(refusalMessageKey('not_allowed_to_record')).toBe('recordingNotAllowed');
    expect(refusalMessageKey('already_recording')).toBe('recordingAlreadyOn');
    expect(refusalMessageKey('not_recording')).toBe('recordingAlreadyOff');
    expect(refusalMessageKey('room_not_live')).toBe('recordingRoomNotLive');
    expect(refusalMessageKey('recording_unavailable')).toBe('recordingUnavailable');
    expect(refusalMessageKey('unreachable')).toBe('recordingUnavailable');
    expect(refusalMessageKey('media_failed')).toBeUndefined();
    expect(refusalMessageKey('toString')).toBeUndefined();
  });
});
