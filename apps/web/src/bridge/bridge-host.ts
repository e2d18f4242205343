import type { CallPage } from '../call/call-page';
import type { DeviceSpec } from '../call/local-media';
import { isLocale } from '../i18n/i18n';
import { RecordingRefused } from '../recording/room-recording';
import type { CallView } from '../ui/call-view';
import {
  BRIDGE_CHANNEL,
  BridgeEvent,
  BridgeMethod,
  EventMessage,
  isMethodCall,
  MethodResult,
  originOf,
} from './bridge-protocol';

type Handler = (data: unknown) => unknown;

interface Constraints {
  constraints?: { audio?: DeviceSpec; video?: DeviceSpec };
}

/**
 * The room page's end of the iframe bridge. It answers only its parent window, and
 * only from the origin the browser says embeds it (`location.ancestorOrigins`, else
 * the referrer); events go to that origin alone, never to `*`.
 */
export class BridgeHost {
  readonly #parentOrigin: string | null;
  readonly #handlers: Record<BridgeMethod, Handler>;

  constructor(
    private readonly call: CallPage,
    private readonly view: CallView,
  ) {
    this.#parentOrigin = embedderOrigin();
    this.#handlers = this.#methods();
    call.on('bridge', (name, data) => this.emit(name, data));
  }

  get embedded(): boolean {
    return this.#parentOrigin !== null;
  }

  listen(): void {
    if (!this.#parentOrigin) return;
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent || event.origin !== this.#parentOrigin) return;
      if (!isMethodCall(event.data) || event.data.roomId !== this.call.link.roomId) return;
      const { callId, name, data } = event.data;
      Promise.resolve()
        .then(() => this.#handlers[name](data))
        .then(
          (result) => this.#post({ kind: 'result', callId, ok: true, result }),
          (error: unknown) =>
            this.#post({
              kind: 'result',
              callId,
              ok: false,
              error: String((error as Error)?.message ?? error),
            }),
        );
    });
  }

  emit(name: BridgeEvent, data?: unknown): void {
    this.#post({ kind: 'event', name, data });
  }

  #post(message: Omit<MethodResult, 'channel' | 'roomId'> | Omit<EventMessage, 'channel' | 'roomId'>): void {
    if (!this.#parentOrigin) return;
    window.parent.postMessage(
      { ...message, channel: BRIDGE_CHANNEL, roomId: this.call.link.roomId },
      this.#parentOrigin,
    );
  }

  #methods(): Record<BridgeMethod, Handler> {
    const { call, view } = this;
    const moderator = () => {
      if (!call.admitted?.permissions.moderate) throw new Error('only a moderator can do this');
      return call.admitted;
    };
    return {
      join: (data) => {
        const { constraints } = (data ?? {}) as Constraints;
        return call.join({ audio: constraints?.audio ?? true, video: constraints?.video ?? true });
      },
      enableMic: () => call.enable('microphone'),
      disableMic: () => call.disable('microphone'),
      enableWebcam: () => call.enable('camera'),
      disableWebcam: () => call.disable('camera'),
      enableShare: () => call.enable('screen'),
      disableShare: () => call.disable('screen'),
      changeDisplayName: (name) => {
        if (typeof name !== 'string' || !name.trim()) throw new Error('data must be the new name');
        call.changeDisplayName(name.trim());
        return call.displayName;
      },
      setVolume: (volume) => {
        if (typeof volume !== 'number' || volume < 0 || volume > 100)
          throw new Error('data must be 0 to 100');
        view.tiles.setVolume(volume);
      },
      getScreenshotByPeerId: (peerId) => {
        if (typeof peerId !== 'string') throw new Error('data must be a peerId');
        return view.tiles.screenshot(peerId);
      },
      setControlsVisible: (visible) => view.setControlsVisible(visible !== false),
      isCameraEnabled: () => call.isOn('camera'),
      isMicroEnabled: () => call.isOn('microphone'),
      isShareEnabled: () => call.isOn('screen'),
      changeDevice: (data) => {
        const { constraints } = (data ?? {}) as Constraints;
        if (constraints?.audio) return call.changeDevice('audio', constraints.audio);
        if (constraints?.video) return call.changeDevice('video', constraints.video);
        throw new Error('data.constraints must name one audio or video device');
      },
      playAudio: async () => {
        const played = await view.tiles.playAudio();
        if (!played) this.emit('playingAudioPrevent');
        return played;
      },
      muteAudio: () => view.tiles.setMuted(true),
      unmuteAudio: () => view.tiles.setMuted(false),
      setBitrate: (bitrate) => {
        if (typeof bitrate !== 'number' || bitrate <= 0) throw new Error('data must be a bitrate in bit/s');
        return call.setBitrate(bitrate);
      },
      isFullscreenEnabled: () => view.isFullscreen(),
      enableFullscreen: () => view.setFullscreen(true),
      disableFullscreen: () => view.setFullscreen(false),
      enablePin: (peerId) => {
        if (typeof peerId !== 'string') throw new Error('data must be a peerId');
        return view.pin(peerId);
      },
      disablePin: () => view.pin(null),
      setLocale: (locale) => {
        if (!isLocale(locale)) throw new Error('data must be one of en, fr, de, lb, ru');
        call.t.setLocale(locale);
      },
      disabledTrackByModerator: (data) => {
        const { userPeerId, kind } = (data ?? {}) as { userPeerId?: unknown; kind?: unknown };
        if (typeof userPeerId !== 'string' || (kind !== 'audio' && kind !== 'video'))
          throw new Error("data must be { userPeerId, kind: 'audio' | 'video' }");
        return call.api.moderatePeer(
          moderator(),
          userPeerId,
          kind === 'audio' ? 'disable_audio' : 'disable_video',
        );
      },
      disableAllMics: () => call.api.moderateRoom(moderator(), 'disable_all_audio'),
      disableAllCameras: () => call.api.moderateRoom(moderator(), 'disable_all_video'),
      setHideIndicators: (hide) => view.tiles.setHideIndicators(hide !== false),
      // Rejected with the refusal's code and message (e.g. `already_recording: …`), which the page also shows.
      startRecording: () => recordingOf(call.setRecording(true)),
      stopRecording: () => recordingOf(call.setRecording(false)),
      isRecording: () => call.recording.recording,
    };
  }
}

/** A Record or Stop press as the bridge answers it: `{ recordingId }`, or the refusal's code and message. */
async function recordingOf(press: Promise<string>): Promise<{ recordingId: string }> {
  try {
    return { recordingId: await press };
  } catch (error) {
    if (error instanceof RecordingRefused) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** The origin of the page embedding us, as the browser reports it; null when not in a frame. */
function embedderOrigin(): string | null {
  if (window.parent === window) return null;
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return originOf(ancestors[0]);
  return document.referrer ? originOf(document.referrer) : null;
}
