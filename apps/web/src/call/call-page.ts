import type { MediaSource } from '@confer/contracts';
import type { BridgeEvent } from '../bridge/bridge-protocol';
import type { Translator } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { choose, ORIGINAL_OPTION } from '../interpretation/interpretation-choice';
import { ChatLine, MediaSession } from '../media/media-session';
import { mayRecord, refusalMessageKey } from '../recording/recording-state';
import { RecordingRefused, RoomRecording } from '../recording/room-recording';
import { joinBody, RoomLink } from '../room-link/url-attributes';
import { Admitted, ApiRefusal, RoomsApiClient, Waiting } from '../rooms-api/rooms-api.client';
import { Emitter } from './emitter';
import { captureScreen, captureTrack, DeviceSpec } from './local-media';

export type CallPhase = 'welcome' | 'joining' | 'waiting' | 'in-call' | 'ended' | 'refused';

type CallEvents = {
  phase: [CallPhase, detail?: { reason?: string; message?: string }];
  /** The events integrators receive through the bridge, under their documented names. */
  bridge: [BridgeEvent, unknown?];
  peers: [];
  media: [];
  chat: [ChatLine];
  notice: [string];
  speaker: [peerId: string];
  /** The live interpretation languages, or what we listen to, changed. */
  interpretation: [];
  /** The room's recording, or this page's Record / Stop request, changed. */
  recording: [];
};

/** Why a session ended, as the page tells the person. */
/** After our media server is lost, how long to keep trying to join again elsewhere. */
const REJOIN_WITHIN_MS = 30_000;

const ENDINGS: Record<string, MessageKey> = {
  replaced: 'replaced',
  kicked: 'kicked',
  removed: 'kicked',
  timed_out: 'timedOut',
  resumed: 'replaced',
  'room closed': 'roomClosed',
  room_closed: 'roomClosed',
  left: 'left',
  rejected: 'rejected',
};

/** Join refusals the page words itself, in the person's language (codes of the rooms service). */
const REFUSALS: Record<string, MessageKey> = {
  room_full: 'refusedRoomFull',
  room_locked: 'refusedRoomLocked',
  too_early: 'refusedTooEarly',
  access_denied: 'refusedAccessDenied',
  token_required: 'refusedTokenRequired',
  token_invalid: 'refusedTokenInvalid',
  wrong_room: 'refusedWrongRoom',
  token_lifetime_exceeded: 'refusedExpired',
};

const ASKS: Record<string, MessageKey> = {
  request_audio: 'askedMic',
  request_video: 'askedCamera',
  request_screen_share: 'askedShare',
};

const SOURCE_EVENTS: Record<MediaSource, { on: BridgeEvent; off: BridgeEvent; error: BridgeEvent }> = {
  microphone: { on: 'switchOnMic', off: 'switchOffMic', error: 'errorGetMic' },
  camera: { on: 'switchOnCamera', off: 'switchOffCamera', error: 'errorGetCamera' },
  screen: { on: 'switchOnShare', off: 'switchOffShare', error: 'errorGetShare' },
  screenAudio: { on: 'switchOnShare', off: 'switchOffShare', error: 'errorGetShare' },
};

/**
 * One visit to a room: the join (with the waiting room), presence, the media session
 * and the person's own devices. The views and the iframe bridge act through it and
 * listen to it; it knows nothing of the DOM beyond the media devices.
 */
export class CallPage extends Emitter<CallEvents> {
  readonly api: RoomsApiClient;
  phase: CallPhase = 'welcome';
  admitted?: Admitted;
  session?: MediaSession;
  displayName?: string;
  /** Names of other peers, as far as this page learnt them. */
  readonly names = new Map<string, string>();
  readonly chatLines: ChatLine[] = [];
  handRaised = false;
  /** Whether the room is recorded, and this page's Record / Stop presses. */
  readonly recording: RoomRecording;
  #joinedAt = 0;
  /** The device each source was last turned on with, to turn it on again after a rejoin. */
  readonly #devices: Partial<Record<MediaSource, DeviceSpec>> = {};
  /** Join to first remote video frame, for the bench and diagnostics. */
  firstRemoteFrameMs: number | null = null;
  /** When that frame came, in ms since the page's navigation started (performance.now()). */
  firstRemoteFrameAt: number | null = null;

  constructor(
    readonly link: RoomLink,
    readonly t: Translator,
    private readonly pageOrigin: string,
  ) {
    super();
    this.api = new RoomsApiClient(link.roomId);
    this.displayName = link.join.displayName;
    this.recording = new RoomRecording((action) => {
      if (!this.session) return Promise.reject(new Error('not in the call'));
      return this.session.requestRecording(action);
    });
    this.recording.on('changed', () => this.emit('recording'));
    this.recording.on('recordingChanged', (recording) =>
      this.emit('bridge', 'recordingChanged', { recording }),
    );
  }

  get peerId(): string | undefined {
    return this.admitted?.peerId;
  }

  nameOf(peerId: string): string {
    if (peerId === this.admitted?.peerId) return this.displayName ?? this.t.t('you');
    return this.session?.peers.get(peerId)?.displayName ?? this.names.get(peerId) ?? peerId;
  }

  #setPhase(phase: CallPhase, detail?: { reason?: string; message?: string }): void {
    this.phase = phase;
    this.emit('phase', phase, detail);
  }

  /** Asks the rooms service to let us in, waits in the waiting room if told to, then connects media. */
  async join(devices: { displayName?: string; audio?: DeviceSpec; video?: DeviceSpec } = {}): Promise<void> {
    if (this.phase !== 'welcome') return;
    if (devices.displayName && !this.link.page.displayNameFixed) this.displayName = devices.displayName;
    this.#setPhase('joining');
    this.#joinedAt = performance.now();
    let admitted: Admitted;
    try {
      admitted = await this.#admission();
    } catch (error) {
      const refusal = error instanceof ApiRefusal ? error : null;
      if (refusal?.code === 'rejected_from_waiting_room') return this.#finish('rejected');
      const known = refusal ? REFUSALS[refusal.code] : undefined;
      this.#setPhase('refused', {
        reason: refusal?.code ?? 'unreachable',
        // Our own words for the usual refusals; the service's message for the rest.
        message: known ? this.t.t(known) : (refusal?.message ?? String(error)),
      });
      this.emit('bridge', 'connectionError', {
        peerId: this.link.join.peerId,
        error: refusal?.message ?? String(error),
      });
      return;
    }
    this.admitted = admitted;
    if (admitted.displayName) this.displayName = admitted.displayName;
    // The media service sends the rooms service our heartbeats while we are connected to it
    // (docs/signaling.md), and tells us why when we are gone: the page sends none itself.
    try {
      this.session = await MediaSession.connect(admitted, this.pageOrigin, this.displayName);
    } catch (error) {
      console.error('media connection failed', error);
      this.emit('bridge', 'connectionFailed');
      return this.#finish('connection_failed', this.t.t('connectionFailed'));
    }
    this.#wire(this.session);
    this.#setPhase('in-call');
    this.emit('bridge', 'join', { peerId: admitted.peerId, displayName: this.displayName ?? null });
    // The join reply says whether the room is already being recorded (then recordingChanged follows).
    this.recording.observe(this.session.recording);
    if (this.session.canPublish) {
      if (devices.audio !== undefined && devices.audio !== false)
        await this.enable('microphone', devices.audio);
      if (devices.video !== undefined && devices.video !== false) await this.enable('camera', devices.video);
    }
  }

  async #admission(): Promise<Admitted> {
    let peerId = this.link.join.peerId;
    let ticket: string | undefined;
    for (;;) {
      const answer = await this.api.join(
        joinBody(this.link, { displayName: this.displayName, peerId, waitingTicket: ticket }),
      );
      if (answer.status === 'admitted') return answer;
      // Held in the waiting room: keep the ticket, poll, and join again with it once admitted.
      peerId = answer.peerId;
      ticket = answer.ticket ?? ticket;
      this.#setPhase('waiting', { message: this.t.t('waiting') });
      if (!ticket) throw new Error('the waiting room gave no ticket');
      await this.#waitForDecision(answer, ticket);
    }
  }

  async #waitForDecision(waiting: Waiting, ticket: string): Promise<void> {
    for (;;) {
      await sleep(1000);
      const entry = await this.api.pollWaiting(waiting, ticket);
      if (entry.status === 'admitted' || entry.status === 'expired') return;
      if (entry.status === 'rejected')
        throw new ApiRefusal(403, 'rejected_from_waiting_room', this.t.t('rejected'));
    }
  }

  #wire(session: MediaSession): void {
    session.on('peerJoined', (peerId) => {
      this.emit('bridge', 'newPeer', { peerId, displayName: this.nameOf(peerId) });
      this.emit('peers');
    });
    session.on('peerLeft', (peerId) => {
      this.emit('bridge', 'peerClosed', { peerId, displayName: this.nameOf(peerId) });
      this.emit('peers');
    });
    session.on('trackAdded', () => this.emit('media'));
    session.on('trackRemoved', () => this.emit('media'));
    session.on('producerClosedByServer', (source, reason) => {
      this.emit('bridge', SOURCE_EVENTS[source].off, this.#me());
      if (reason === 'moderator')
        this.emit('notice', this.t.t(source === 'microphone' ? 'micOffByModerator' : 'cameraOffByModerator'));
      this.emit('media');
    });
    session.on('permissionsChanged', () => this.emit('media'));
    session.on('activeSpeaker', (peerId) => this.emit('speaker', peerId));
    session.on('reconnecting', () => this.emit('notice', this.t.t('reconnecting')));
    session.on('reconnected', () => {
      this.emit('notice', '');
      this.emit('peers');
    });
    session.on('peerRoleChanged', () => this.emit('peers'));
    session.on('moderation', (action, target) => {
      // A moderator asks us to turn something on: say so; the person decides.
      const asked = ASKS[action];
      if (target === this.admitted?.peerId && asked) this.emit('notice', this.t.t(asked));
      if (target === this.admitted?.peerId && action === 'lower_hand') {
        this.handRaised = false;
        this.emit('media');
      }
    });
    session.on('interpretation', () => this.emit('interpretation'));
    session.on('recording', (recording) => this.recording.observe(recording));
    session.on('hand', (peerId, raised) => {
      // Ours too: a moderator may have lowered it.
      if (peerId === this.admitted?.peerId) this.handRaised = raised;
      this.emit('media');
    });
    session.on('chat', (line) => {
      this.chatLines.push(line);
      this.emit('chat', line);
    });
    session.on('ended', (reason, code) => {
      if (session !== this.session) return;
      if (reason === 'media_server_lost') return void this.#rejoin(session);
      // 4409: the same peer id joined elsewhere.
      this.#finish(code === 4409 ? 'replaced' : reason);
    });
  }

  /**
   * Our media server is gone (its node died): join again through the rooms service, which
   * places us on a live node, and turn back on what we were sending.
   */
  async #rejoin(lost: MediaSession): Promise<void> {
    const sending = lost.sendingWhenEnded.filter((source) => source === 'microphone' || source === 'camera');
    this.emit('notice', this.t.t('reconnecting'));
    const deadline = Date.now() + REJOIN_WITHIN_MS;
    while (this.phase === 'in-call' && Date.now() < deadline) {
      try {
        const admitted = await this.#admission();
        const session = await MediaSession.connect(admitted, this.pageOrigin, this.displayName);
        this.admitted = admitted;
        this.session = session;
        this.#wire(session);
        this.recording.observe(session.recording);
        this.emit('notice', '');
        this.emit('peers');
        this.emit('media');
        for (const source of sending) await this.enable(source, this.#devices[source] ?? true);
        return;
      } catch (error) {
        if (error instanceof ApiRefusal) return this.#finish(error.code, error.message);
        await sleep(1000); // the rooms service or every node unreachable for now
      }
    }
    this.#finish('disconnected');
  }

  /** The first remote video frame is on screen: join → first frame, for the bench and diagnostics. */
  noteRemoteFrame(): void {
    if (this.firstRemoteFrameMs !== null || !this.#joinedAt) return;
    this.firstRemoteFrameAt = performance.now();
    this.firstRemoteFrameMs = this.firstRemoteFrameAt - this.#joinedAt;
  }

  #me() {
    return { peerId: this.admitted?.peerId, displayName: this.displayName ?? null };
  }

  isOn(source: MediaSource): boolean {
    return this.session?.isPublishing(source) ?? false;
  }

  localTrack(source: MediaSource): MediaStreamTrack | null {
    return this.session?.localTrack(source) ?? null;
  }

  /** Turns a source on (microphone, camera, screen); refused when the grant does not allow it. */
  async enable(source: MediaSource, device: DeviceSpec = true): Promise<boolean> {
    const events = SOURCE_EVENTS[source];
    const session = this.session;
    const permissions = this.admitted?.permissions;
    const allowed =
      source === 'microphone'
        ? permissions?.publishAudio
        : source === 'camera'
          ? permissions?.publishVideo
          : permissions?.shareScreen;
    if (!session || !allowed) {
      this.emit('bridge', events.error, { ...this.#me(), error: 'not allowed in this room' });
      return false;
    }
    try {
      if (source === 'screen') {
        const screen = await captureScreen();
        await session.publish('screen', screen.video);
      } else {
        await session.publish(
          source,
          await captureTrack(source === 'microphone' ? 'audio' : 'video', device),
        );
        this.#devices[source] = device;
      }
    } catch (error) {
      console.warn(`cannot turn ${source} on`, error);
      this.emit('bridge', events.error, { ...this.#me(), error: String(error) });
      this.emit('media');
      return false;
    }
    this.emit('bridge', events.on, this.#me());
    this.emit('media');
    return true;
  }

  async disable(source: MediaSource): Promise<void> {
    if (!this.session?.isPublishing(source)) return;
    await this.session.unpublish(source);
    this.emit('bridge', SOURCE_EVENTS[source].off, this.#me());
    this.emit('media');
  }

  async toggle(source: MediaSource): Promise<void> {
    if (this.isOn(source)) await this.disable(source);
    else await this.enable(source);
  }

  /** Switches the device of a running source (the bridge's changeDevice). */
  async changeDevice(kind: 'audio' | 'video', device: DeviceSpec): Promise<void> {
    const source = kind === 'audio' ? 'microphone' : 'camera';
    if (!this.session) throw new Error('not in the call');
    await this.session.publish(source, await captureTrack(kind, device));
    this.#devices[source] = device;
    this.emit('media');
  }

  async setBitrate(bitsPerSecond: number): Promise<void> {
    await this.session?.setMaxBitrate(bitsPerSecond);
  }

  async sendChat(text: string): Promise<void> {
    if (!this.session) return;
    const line = await this.session.sendChat(text);
    this.chatLines.push(line);
    this.emit('chat', line);
  }

  /** Listens to a picker option (a language, or the original) with the mute toggle's state. */
  async listenTo(option: string, muteOriginal: boolean): Promise<void> {
    await this.session?.setInterpretation(choose(option, muteOriginal));
  }

  /** The picker option we listen to now. */
  get listeningOption(): string {
    return this.session?.listening.language ?? ORIGINAL_OPTION;
  }

  /** May this peer record now (its current permissions, following permissionsChanged)? */
  get mayRecord(): boolean {
    return mayRecord(this.admitted?.permissions as unknown as Record<string, unknown> | undefined);
  }

  /**
   * Presses Record or Stop. Refused by the page itself without the `record` permission;
   * a refusal of the media service is told in the person's language (the notice) and
   * rejected with its code, for the bridge.
   */
  async setRecording(on: boolean): Promise<string> {
    if (!this.session) throw new RecordingRefused('not_joined', 'not in the call');
    if (!this.mayRecord)
      throw new RecordingRefused('not_allowed_to_record', 'only a moderator allowed to record can do this');
    try {
      return await (on ? this.recording.start() : this.recording.stop());
    } catch (error) {
      if (error instanceof RecordingRefused) {
        const key = refusalMessageKey(error.code);
        this.emit('notice', key ? this.t.t(key) : error.message);
      }
      throw error;
    }
  }

  async toggleHand(): Promise<void> {
    if (!this.admitted) return;
    const { raised } = await this.api.raiseHand(this.admitted, !this.handRaised);
    this.handRaised = raised;
    this.emit('media');
  }

  changeDisplayName(name: string): void {
    if (this.link.page.displayNameFixed) return;
    this.displayName = name;
    this.emit('peers');
  }

  /** Leaves on purpose: the rooms service and the media service both hear of it. */
  async leave(): Promise<void> {
    if (this.admitted && this.phase === 'in-call') await this.api.leave(this.admitted).catch(() => undefined);
    await this.session?.leave();
    this.#finish('left');
  }

  /** A best-effort leave when the tab goes away, so others see us go at once. */
  leaveOnUnload(): void {
    if (!this.admitted || this.phase !== 'in-call') return;
    const path = `/v1/rooms/${this.link.roomId}/peers/${encodeURIComponent(this.admitted.peerId)}/leave`;
    navigator.sendBeacon?.(
      path,
      new Blob([JSON.stringify({ connectionId: this.admitted.connectionId })], { type: 'application/json' }),
    );
  }

  #finish(reason: string, message?: string): void {
    if (this.phase === 'ended') return;
    const key = ENDINGS[reason];
    this.#setPhase('ended', { reason, message: key ? this.t.t(key) : (message ?? reason) });
    this.emit('bridge', reason === 'left' ? 'connectionClosed' : 'disconnected', { reason });
    this.recording.close();
    void this.session?.leave();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
