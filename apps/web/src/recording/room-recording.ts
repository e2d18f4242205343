import { Emitter } from '../call/emitter';
import {
  accepted,
  gaveUpWaiting,
  NOT_RECORDING,
  observed,
  pressed,
  RecordingAction,
  RecordingState,
  refused,
} from './recording-state';

/**
 * How long an accepted Record or Stop keeps the control busy waiting for the room's state
 * to follow (the recorder connects to the room within a few seconds); after that the
 * control follows the room again, so a recorder that never came does not lock it.
 */
export const AWAIT_CONFIRMATION_MS = 20_000;

/** A refusal as the signaling connection reports it: a stable code and the service's message. */
export class RecordingRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends startRecording or stopRecording; rejects with the refusal (an `error.code` when the server gave one). */
export type RecordingRequest = (action: RecordingAction) => Promise<{ recordingId: string }>;

type RoomRecordingEvents = {
  /** Anything the control or the indicator shows changed. */
  changed: [RecordingState];
  /** The room started or stopped being recorded, as the media service says. */
  recordingChanged: [recording: boolean];
};

/**
 * The room's recording on this page: the media service's word on whether it is recorded,
 * and this page's own Record and Stop presses, one at a time.
 */
export class RoomRecording extends Emitter<RoomRecordingEvents> {
  #state: RecordingState = NOT_RECORDING;
  #waiting?: ReturnType<typeof setTimeout>;

  constructor(private readonly request: RecordingRequest) {
    super();
  }

  get state(): RecordingState {
    return this.#state;
  }

  get recording(): boolean {
    return this.#state.recording;
  }

  /** The media service's word: the join or resume reply (absent means not recorded), or `recordingChanged`. */
  observe(recording: boolean): void {
    const was = this.#state.recording;
    this.#set(observed(this.#state, recording));
    if (!this.#state.awaiting) clearTimeout(this.#waiting);
    if (recording !== was) this.emit('recordingChanged', recording);
  }

  start(): Promise<string> {
    return this.#press('start');
  }

  stop(): Promise<string> {
    return this.#press('stop');
  }

  /** Resolves with the recording's id; rejects with RecordingRefused, the control showing why. */
  async #press(action: RecordingAction): Promise<string> {
    if (this.#state.inFlight)
      throw new RecordingRefused('busy', `a ${this.#state.inFlight} request is already on its way`);
    clearTimeout(this.#waiting);
    this.#set(pressed(this.#state, action));
    let recordingId: string;
    try {
      ({ recordingId } = await this.request(action));
    } catch (error) {
      const code = (error as { error?: { code?: unknown } }).error?.code;
      const refusal = new RecordingRefused(
        typeof code === 'string' ? code : 'unreachable',
        (error as Error)?.message ?? String(error),
      );
      this.#set(refused(this.#state, refusal.code, refusal.message));
      throw refusal;
    }
    this.#set(accepted(this.#state, action));
    if (this.#state.awaiting)
      this.#waiting = setTimeout(() => this.#set(gaveUpWaiting(this.#state)), AWAIT_CONFIRMATION_MS);
    return recordingId;
  }

  /** The page is done with the room: no timer outlives it. */
  close(): void {
    clearTimeout(this.#waiting);
  }

  #set(state: RecordingState): void {
    this.#state = state;
    this.emit('changed', state);
  }
}
