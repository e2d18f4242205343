import { AWAIT_CONFIRMATION_MS, RecordingRefused, RecordingRequest, RoomRecording } from './room-recording';

/** A request the test answers by hand. */
function controllable() {
  const calls: Array<{
    action: string;
    resolve(v: { recordingId: string }): void;
    reject(e: unknown): void;
  }> = [];
  const request: RecordingRequest = (action) =>
    new Promise((resolve, reject) => calls.push({ action, resolve, reject }));
  return { calls, request };
}

/** A refusal as the signaling connection rejects with it (SignalingRefusal: `error.code`). */
const signalingRefusal = (code: string, message: string) =>
  Object.assign(new Error(message), { error: { code, message } });

describe('the room recording on a page', () => {
  afterEach(() => jest.useRealTimers());

  it('follows the media service and tells each change once', () => {
    const recording = new RoomRecording(controllable().request);
    const changes: boolean[] = [];
    recording.on('recordingChanged', (on) => changes.push(on));
    recording.observe(false); // join reply: not recorded
    recording.observe(true); // recordingChanged
    recording.observe(true); // a resume reply saying the same
    recording.observe(false);
    expect(changes).toEqual([true, false]);
    expect(recording.recording).toBe(false);
  });

  it('sends startRecording, and is busy until the room is said to be recorded', async () => {
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    const started = recording.start();
    expect(calls.map((c) => c.action)).toEqual(['start']);
    expect(recording.state.inFlight).toBe('start');
    calls[0].resolve({ recordingId: 'rec_1' });
    await expect(started).resolves.toBe('rec_1');
    expect(recording.state.awaiting).toBe('start');
    recording.observe(true);
    expect(recording.state).toMatchObject({ recording: true, inFlight: null, awaiting: null });
  });

  it('refuses a second press while one is on its way', async () => {
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    void recording.start();
    await expect(recording.stop()).rejects.toMatchObject({ code: 'busy' });
    expect(calls).toHaveLength(1);
  });

  it("keeps the media service's refusal code and message", async () => {
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    const states: Array<string | null> = [];
    recording.on('changed', (s) => states.push(s.inFlight));
    const started = recording.start();
    calls[0].reject(signalingRefusal('already_recording', 'This room is already being recorded'));
    const refusal = await started.catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RecordingRefused);
    expect(refusal).toMatchObject({
      code: 'already_recording',
      message: 'This room is already being recorded',
    });
    expect(recording.state).toMatchObject({
      inFlight: null,
      awaiting: null,
      refusal: { code: 'already_recording' },
    });
    expect(states).toEqual(['start', null]);
  });

  it('calls a lost connection unreachable', async () => {
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    const stopped = recording.stop();
    calls[0].reject(new Error('signaling closed (1006)'));
    await expect(stopped).rejects.toMatchObject({ code: 'unreachable', message: 'signaling closed (1006)' });
  });

  it('stops waiting for the room after a while, so the control follows the room again', async () => {
    jest.useFakeTimers();
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    const started = recording.start();
    calls[0].resolve({ recordingId: 'rec_1' });
    await started;
    jest.advanceTimersByTime(AWAIT_CONFIRMATION_MS - 1);
    expect(recording.state.awaiting).toBe('start');
    jest.advanceTimersByTime(1);
    expect(recording.state.awaiting).toBeNull();
    expect(recording.recording).toBe(false);
  });

  it('keeps no timer once the room followed', async () => {
    jest.useFakeTimers();
    const { calls, request } = controllable();
    const recording = new RoomRecording(request);
    const started = recording.start();
    calls[0].resolve({ recordingId: 'rec_1' });
    await started;
    recording.observe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
