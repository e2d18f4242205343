/**
 * The messages between the iframe bridge (the script integrators load beside the
 * iframe) and the room page inside it, over postMessage. Each side checks the other's
 * origin and window; a message not matching these shapes is ignored.
 */

export const BRIDGE_CHANNEL = 'confer-meet-bridge';
export const BRIDGE_VERSION = 1;

/** The methods of Gcore's Client API, under their documented names, and Confer's own after them. */
export const BRIDGE_METHODS = [
  'join',
  'enableMic',
  'disableMic',
  'enableWebcam',
  'disableWebcam',
  'enableShare',
  'disableShare',
  'changeDisplayName',
  'setVolume',
  'getScreenshotByPeerId',
  'setControlsVisible',
  'isCameraEnabled',
  'isMicroEnabled',
  'isShareEnabled',
  'changeDevice',
  'playAudio',
  'muteAudio',
  'unmuteAudio',
  'setBitrate',
  'isFullscreenEnabled',
  'enableFullscreen',
  'disableFullscreen',
  'enablePin',
  'disablePin',
  'setLocale',
  'disabledTrackByModerator',
  'disableAllMics',
  'disableAllCameras',
  'setHideIndicators',
  // Recording (a moderator whose token carries canRecord: true; isRecording for anyone).
  'startRecording',
  'stopRecording',
  'isRecording',
] as const;
export type BridgeMethod = (typeof BRIDGE_METHODS)[number];

/** The events of Gcore's Client API, and Confer's own after them. */
export const BRIDGE_EVENTS = [
  'join',
  'ready',
  'readyToJoin',
  'switchOnCamera',
  'switchOffCamera',
  'errorGetCamera',
  'switchOnMic',
  'switchOffMic',
  'errorGetMic',
  'switchOnShare',
  'switchOffShare',
  'errorGetShare',
  'newPeer',
  'peerClosed',
  'connectionFailed',
  'disconnected',
  'connectionClosed',
  'connectionError',
  'playingAudioPrevent',
  'switchOnPin',
  'switchOffPin',
  'errorGetPin',
  /** `{ recording }`: the room started or stopped being recorded (also at join when it already is). */
  'recordingChanged',
] as const;
export type BridgeEvent = (typeof BRIDGE_EVENTS)[number];

export interface MethodCall {
  channel: typeof BRIDGE_CHANNEL;
  kind: 'method';
  roomId: string;
  callId: number;
  name: BridgeMethod;
  data?: unknown;
}

export interface MethodResult {
  channel: typeof BRIDGE_CHANNEL;
  kind: 'result';
  roomId: string;
  callId: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface EventMessage {
  channel: typeof BRIDGE_CHANNEL;
  kind: 'event';
  roomId: string;
  name: BridgeEvent;
  data?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function isMethodCall(value: unknown): value is MethodCall {
  return (
    isObject(value) &&
    value.channel === BRIDGE_CHANNEL &&
    value.kind === 'method' &&
    typeof value.roomId === 'string' &&
    Number.isInteger(value.callId) &&
    (BRIDGE_METHODS as readonly unknown[]).includes(value.name)
  );
}

export function isMethodResult(value: unknown): value is MethodResult {
  return (
    isObject(value) &&
    value.channel === BRIDGE_CHANNEL &&
    value.kind === 'result' &&
    Number.isInteger(value.callId) &&
    typeof value.ok === 'boolean'
  );
}

export function isEventMessage(value: unknown): value is EventMessage {
  return (
    isObject(value) &&
    value.channel === BRIDGE_CHANNEL &&
    value.kind === 'event' &&
    (BRIDGE_EVENTS as readonly unknown[]).includes(value.name)
  );
}

/** The origin of a URL, or null when it has none we could trust (about:, data:, unparsable). */
export function originOf(url: string, base?: string): string | null {
  try {
    const origin = new URL(url, base).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
