import { Device, types } from 'mediasoup-client';
import type { MediaSource, SignalingNotification, SignalingNotificationOf } from '@confer/contracts';
import { Emitter } from '../call/emitter';
import {
  choiceAfterResume,
  InterpretationChoice,
  interpretationRequest,
  ORIGINAL,
} from '../interpretation/interpretation-choice';
import type { Admitted } from '../rooms-api/rooms-api.client';
import { SignalingConnection, SignalingRefusal, signalingUrl } from './signaling.connection';

export interface RemoteTrack {
  peerId: string;
  consumerId: string;
  producerId: string;
  source: MediaSource;
  track: MediaStreamTrack;
}

export interface ChatLine {
  messageId: string;
  peerId: string;
  text: string;
  sentAt: string;
  to?: string;
}

/** How long to try resuming after the socket drops (the media service's grace is 10 s by default). */
const RESUME_WITHIN_MS = 9_000;
/**
 * The media server refused every connection this long: it is gone (its node died), not
 * a network blip, so the session ends as `media_server_lost` and the page joins again
 * through the rooms service, which places it on a live node.
 */
const SERVER_GONE_AFTER_MS = 2_500;

/** Simulcast layers of a camera, lowest first: a quarter, half and full resolution. */
const CAMERA_LAYERS = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

type MediaSessionEvents = {
  peerJoined: [peerId: string, role: string];
  peerLeft: [peerId: string, reason: string];
  trackAdded: [RemoteTrack];
  trackRemoved: [RemoteTrack];
  trackPaused: [RemoteTrack, paused: boolean];
  /** One of our own producers was closed by the server (a moderator, our permissions or role). */
  producerClosedByServer: [source: MediaSource, reason: string];
  /** What we may publish changed (sharing allowed or forbidden, a new role). */
  permissionsChanged: [role: string, permissions: Record<string, boolean>];
  peerRoleChanged: [peerId: string, role: string];
  /** The signaling socket dropped; we are resuming the same peer. */
  reconnecting: [];
  reconnected: [];
  /** The room's dominant speaker changed. */
  activeSpeaker: [peerId: string];
  /** A moderator acted on someone (or everyone, without a target). */
  moderation: [action: string, targetPeerId: string | undefined, by: string];
  chat: [ChatLine];
  /** The live interpretation languages, or what we listen to, changed. */
  interpretation: [];
  /** Someone's hand (ours too) went up or down. */
  hand: [peerId: string, raised: boolean];
  /** Whether the room is being recorded, as the media service says now (also after a resume). */
  recording: [recording: boolean];
  /** The server ends the session (replaced, removed, room closed), or the socket closed. */
  ended: [reason: string, code: number];
};

/**
 * One admitted peer's media: the signaling connection, the mediasoup-client device,
 * a send transport when the grant allows publishing and a receive transport when it
 * allows subscribing, our producers by source, and the consumers of everyone else's.
 */
export class MediaSession extends Emitter<MediaSessionEvents> {
  /** Others in the room; `displayName` when the media service passes it on (a later protocol field). */
  readonly peers = new Map<string, { role: string; displayName?: string; handRaised?: boolean }>();
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #consumers = new Map<string, RemoteTrack & { consumer: types.Consumer }>();
  #sendTransport?: types.Transport;
  #recvTransport?: types.Transport;
  #ended = false;
  /** Producers announced before the receive transport existed wait for it here. */
  #recvReady: Promise<void>;
  #markRecvReady: () => void = () => undefined;
  readonly #consumed = new Set<string>();
  #resumeToken?: string;
  /** What we were sending when the session ended, to send it again after a rejoin. */
  sendingWhenEnded: MediaSource[] = [];
  /** Interpretation channels one can listen to now (an interpreter's language each). */
  #languages: string[] = [];
  #listening: InterpretationChoice = ORIGINAL;
  /** The room is being recorded (the join or resume reply, then recordingChanged). */
  #recording = false;

  private constructor(
    readonly admitted: Admitted,
    private signaling: SignalingConnection,
    private readonly pageOrigin: string,
    private readonly device: Device,
  ) {
    super();
    this.#recvReady = new Promise((resolve) => (this.#markRecvReady = resolve));
  }

  static async connect(admitted: Admitted, pageOrigin: string, displayName?: string): Promise<MediaSession> {
    const signaling = await SignalingConnection.open(signalingUrl(admitted.mediaServer.url, pageOrigin));
    const session = new MediaSession(admitted, signaling, pageOrigin, new Device());
    session.#attach(signaling);
    await session.#join(displayName);
    return session;
  }

  get canPublish(): boolean {
    const p = this.admitted.permissions;
    return p.publishAudio || p.publishVideo || p.shareScreen;
  }

  isPublishing(source: MediaSource): boolean {
    const producer = this.#producers.get(source);
    return !!producer && !producer.closed && !producer.paused;
  }

  #attach(signaling: SignalingConnection): void {
    this.signaling = signaling;
    signaling.onNotification((n, d) => this.#onNotification(n, d));
    void signaling.closed.then(({ code, reason }) => {
      if (signaling !== this.signaling || this.#ended) return;
      // Dropped (network, a gateway restart), not ended by either side: resume the same peer.
      if (this.#resumeToken && (code === 1006 || code === 1001 || code === 1011)) void this.#resume();
      else this.#end(reason || 'disconnected', code);
    });
  }

  /**
   * A new socket resumes this peer within the media service's grace period: transports,
   * producers and consumers lived on; the reply is the room's state to catch up with.
   */
  async #resume(): Promise<void> {
    this.emit('reconnecting');
    const started = Date.now();
    const deadline = started + RESUME_WITHIN_MS;
    while (!this.#ended && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      let signaling: SignalingConnection;
      try {
        signaling = await SignalingConnection.open(
          signalingUrl(this.admitted.mediaServer.url, this.pageOrigin),
        );
      } catch {
        // Our own network being down is no sign of the server's: keep resuming meanwhile.
        if (navigator.onLine !== false && Date.now() - started >= SERVER_GONE_AFTER_MS)
          return this.#end('media_server_lost', 1006);
        continue; // not reachable yet
      }
      try {
        this.#attach(signaling);
        const reply = await signaling.request('resume', {
          resumeToken: this.#resumeToken!,
          rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
        });
        if (reply.resumeToken) this.#resumeToken = reply.resumeToken;
        // What we may do may have changed meanwhile (a missed permissionsChanged).
        this.#permissionsNow(reply.role, reply.permissions);
        this.#catchUp(reply.peers, reply.producers);
        // A recording may have started or stopped while we were away: the reply says how it is now.
        this.#recordingNow(reply.recording === true);
        await this.#keepListening(reply.languages ?? []);
        this.emit('reconnected');
        return;
      } catch (error) {
        // The server no longer knows this peer (it restarted, or the grace ran out): join afresh.
        if (error instanceof SignalingRefusal && error.error.code === 'invalid_resume_token')
          return this.#end('media_server_lost', 4401);
        // Refused otherwise: this session is over.
        return this.#end(`resume refused: ${(error as Error).message}`, 4000);
      }
    }
    this.#end('disconnected', 1006);
  }

  /** Notifications sent while we were away are lost: align with the room as it is now. */
  #catchUp(peers: Array<{ peerId: string; role: string }>, producers: Array<{ producerId: string }>): void {
    const present = new Set(peers.map((p) => p.peerId));
    for (const peerId of [...this.peers.keys()])
      if (!present.has(peerId)) {
        this.peers.delete(peerId);
        this.emit('peerLeft', peerId, 'left');
      }
    for (const peer of peers)
      if (!this.peers.has(peer.peerId)) {
        this.peers.set(peer.peerId, withName(peer));
        this.emit('peerJoined', peer.peerId, peer.role);
      }
    const live = new Set(producers.map((p) => p.producerId));
    for (const [id, remote] of this.#consumers) if (!live.has(remote.producerId)) this.#dropConsumer(id);
    for (const producerId of live)
      if (!this.#consumed.has(producerId))
        this.#consume(producerId).catch((error) => console.warn('cannot consume', producerId, error));
  }

  async #join(displayName?: string): Promise<void> {
    // The grant's name wins; ours is what the person typed on the welcome screen.
    const name = displayName?.trim().slice(0, 100);
    const reply = await this.signaling.request('join', {
      grant: this.admitted.grant.token,
      ...(name ? { displayName: name } : {}),
    });
    this.#resumeToken = reply.resumeToken;
    this.#languages = reply.languages ?? [];
    this.#recording = reply.recording === true;
    await this.device.load({ routerRtpCapabilities: reply.routerRtpCapabilities as types.RtpCapabilities });
    for (const peer of reply.peers) this.peers.set(peer.peerId, withName(peer));
    if (this.canPublish) this.#sendTransport = await this.#createTransport('send');
    if (reply.permissions.subscribe) {
      this.#recvTransport = await this.#createTransport('recv');
      this.#markRecvReady();
      for (const peer of reply.peers) this.emit('peerJoined', peer.peerId, peer.role);
      await Promise.all(reply.producers.map((p) => this.#consume(p.producerId)));
    }
  }

  async #createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.signaling.request('createTransport', { direction });
    const options = {
      id: info.transportId,
      iceParameters: info.iceParameters as unknown as types.IceParameters,
      iceCandidates: info.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as unknown as types.DtlsParameters,
    };
    const transport =
      direction === 'send'
        ? this.device.createSendTransport(options)
        : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling
        .request('connectTransport', {
          transportId: transport.id,
          dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
        })
        .then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.signaling
        .request('produce', {
          transportId: transport.id,
          kind,
          source: appData.source as MediaSource,
          rtpParameters: rtpParameters as unknown as Record<string, unknown>,
          ...(typeof appData.maxHeight === 'number' ? { maxHeight: appData.maxHeight } : {}),
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    return transport;
  }

  /** Starts sending a track as `source`, or resumes the paused producer of that source with it. */
  async publish(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    if (!this.#sendTransport) throw new Error('this peer may not publish');
    const existing = this.#producers.get(source);
    if (existing && !existing.closed) {
      await existing.replaceTrack({ track });
      if (existing.paused) {
        await this.signaling.request('resumeProducer', { producerId: existing.id });
        existing.resume();
      }
      return;
    }
    // The camera goes as three simulcast layers, so each viewer's tile size picks what it needs.
    const simulcast = source === 'camera' && this.device.canProduce('video');
    const height = track.getSettings().height;
    const producer = await this.#sendTransport.produce({
      track,
      ...(simulcast ? { encodings: CAMERA_LAYERS } : {}),
      appData: { source, ...(simulcast && height ? { maxHeight: height } : {}) },
    });
    this.#producers.set(source, producer);
    producer.on('trackended', () => void this.unpublish(source));
  }

  /** Stops sending `source`: the producer closes on the server too, so others stop receiving at once. */
  async unpublish(source: MediaSource): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    producer.close();
    producer.track?.stop();
    await this.signaling.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  /** Caps the camera's sending bitrate (the bridge's setBitrate), in bits per second. */
  async setMaxBitrate(bitsPerSecond: number): Promise<void> {
    const camera = this.#producers.get('camera');
    if (camera && !camera.closed) await camera.setRtpEncodingParameters({ maxBitrate: bitsPerSecond });
  }

  /**
   * How big a video shows here, in device pixels (0: hidden): the server picks the
   * simulcast layer that fits, and pauses what nobody sees.
   */
  async setTileSize(consumerId: string, width: number, height: number): Promise<void> {
    const remote = this.#consumers.get(consumerId);
    if (!remote || remote.track.kind !== 'video' || this.#ended) return;
    const w = Math.min(16384, Math.round(width));
    const h = Math.min(16384, Math.round(height));
    await this.signaling
      .request('setConsumerTileSize', { consumerId, width: w, height: h, visible: w > 0 && h > 0 })
      .catch((error) => console.warn('tile size', error));
  }

  /** Interpretation channels one can listen to now. */
  get languages(): readonly string[] {
    return this.#languages;
  }

  get listening(): InterpretationChoice {
    return this.#listening;
  }

  /** Listens to a language channel (or the original): the server holds back the rest. */
  async setInterpretation(choice: InterpretationChoice): Promise<void> {
    const reply = await this.signaling.request('setInterpretation', interpretationRequest(choice));
    this.#listening = { language: reply.language, muteOriginal: reply.muteOriginal };
    this.#languages = reply.languages;
    this.emit('interpretation');
  }

  /** After a resume: the missed notifications may have changed the channels; say our choice again. */
  async #keepListening(live: string[]): Promise<void> {
    this.#languages = live;
    const choice = choiceAfterResume(this.#listening, live);
    this.#listening = choice;
    if (choice.language !== null)
      await this.setInterpretation(choice).catch((error) => {
        console.warn('interpretation', error);
        this.#listening = ORIGINAL;
      });
    this.emit('interpretation');
  }

  /** Whether the room is being recorded now. */
  get recording(): boolean {
    return this.#recording;
  }

  /** Asks the media service to start or stop recording the room (the `record` permission). */
  requestRecording(action: 'start' | 'stop'): Promise<{ recordingId: string }> {
    return this.signaling.request(action === 'start' ? 'startRecording' : 'stopRecording', {});
  }

  #recordingNow(recording: boolean): void {
    if (recording === this.#recording) return;
    this.#recording = recording;
    this.emit('recording', recording);
  }

  #permissionsNow(role: string, permissions: Record<string, unknown>): void {
    const known = Object.entries(permissions).filter(([, v]) => typeof v === 'boolean');
    const changed =
      role !== this.admitted.role ||
      known.some(([k, v]) => (this.admitted.permissions as unknown as Record<string, unknown>)[k] !== v);
    if (!changed) return;
    Object.assign(this.admitted.permissions, Object.fromEntries(known));
    this.admitted.role = role;
    this.emit('permissionsChanged', role, Object.fromEntries(known) as Record<string, boolean>);
  }

  /** The tracks we receive now, by peer and source. */
  remoteTracks(): RemoteTrack[] {
    return [...this.#consumers.values()];
  }

  localTrack(source: MediaSource): MediaStreamTrack | null {
    return this.#producers.get(source)?.track ?? null;
  }

  async sendChat(text: string, to?: string): Promise<ChatLine> {
    const reply = await this.signaling.request('sendChatMessage', { text, ...(to ? { to } : {}) });
    return { ...reply, peerId: this.admitted.peerId, text, ...(to ? { to } : {}) };
  }

  /** Bytes received so far, by kind, from the receive transport's RTCPeerConnection stats. */
  async inboundBytes(): Promise<{ audio: number; video: number }> {
    const totals = { audio: 0, video: 0 };
    if (!this.#recvTransport) return totals;
    const report = await this.#recvTransport.getStats();
    report.forEach((stat: { type: string; kind?: string; bytesReceived?: number }) => {
      if (stat.type === 'inbound-rtp' && (stat.kind === 'audio' || stat.kind === 'video'))
        totals[stat.kind] += stat.bytesReceived ?? 0;
    });
    return totals;
  }

  /** Leaves cleanly: tells the server, which closes the socket (1000). */
  async leave(): Promise<void> {
    if (this.#ended) return;
    await this.signaling.request('leave', {}).catch(() => undefined);
    this.#end('left', 1000);
  }

  #end(reason: string, code: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.sendingWhenEnded = [...this.#producers.keys()].filter((source) => this.isPublishing(source));
    for (const producer of this.#producers.values()) producer.track?.stop();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.signaling.close();
    this.emit('ended', reason, code);
  }

  async #consume(producerId: string): Promise<void> {
    // A producer may be announced while we are still setting up (between join and the
    // receive transport): wait for the transport rather than miss it.
    await this.#recvReady;
    if (!this.#recvTransport || this.#consumed.has(producerId) || this.#ended) return;
    this.#consumed.add(producerId);
    const reply = await this.signaling.request('consume', {
      transportId: this.#recvTransport.id,
      producerId,
      rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await this.#recvTransport.consume({
      id: reply.consumerId,
      producerId: reply.producerId,
      kind: reply.kind,
      rtpParameters: reply.rtpParameters as unknown as types.RtpParameters,
    });
    const remote = {
      peerId: reply.peerId,
      consumerId: reply.consumerId,
      producerId: reply.producerId,
      source: reply.source,
      track: consumer.track,
      consumer,
    };
    this.#consumers.set(consumer.id, remote);
    this.emit('trackAdded', remote);
    // Consumers start paused on the server, so no keyframe is lost before the track is wired.
    await this.signaling.request('resumeConsumer', { consumerId: consumer.id });
  }

  #dropConsumer(consumerId: string): void {
    const remote = this.#consumers.get(consumerId);
    if (!remote) return;
    this.#consumers.delete(consumerId);
    remote.consumer.close();
    this.emit('trackRemoved', remote);
  }

  #onNotification<N extends SignalingNotification>(notification: N, data: SignalingNotificationOf<N>): void {
    const d = data as unknown as Record<string, string>;
    switch (notification as SignalingNotification) {
      case 'peerJoined':
        this.peers.set(d.peerId, withName({ ...d, role: d.role }));
        this.emit('peerJoined', d.peerId, d.role);
        break;
      case 'peerLeft':
        this.peers.delete(d.peerId);
        for (const [id, remote] of this.#consumers) if (remote.peerId === d.peerId) this.#dropConsumer(id);
        this.emit('peerLeft', d.peerId, d.reason);
        break;
      case 'producerAdded':
        this.#consume(d.producerId).catch((error) => console.warn('cannot consume', d.producerId, error));
        break;
      case 'producerClosedByServer':
        this.#ownProducerClosed(d.producerId, d.reason);
        break;
      case 'permissionsChanged': {
        const changed = data as unknown as { role: string; permissions: Record<string, boolean> };
        Object.assign(this.admitted.permissions, changed.permissions);
        this.admitted.role = changed.role;
        this.emit('permissionsChanged', changed.role, changed.permissions);
        break;
      }
      case 'recordingChanged':
        this.#recordingNow((data as unknown as { recording: boolean }).recording === true);
        break;
      case 'peerRoleChanged':
        this.peers.set(d.peerId, { ...this.peers.get(d.peerId), role: d.role });
        this.emit('peerRoleChanged', d.peerId, d.role);
        break;
      case 'activeSpeaker':
        this.emit('activeSpeaker', d.peerId);
        break;
      case 'moderation':
        this.emit('moderation', d.action, d.targetPeerId, d.by);
        break;
      case 'producerClosed':
        for (const [id, remote] of this.#consumers)
          if (remote.producerId === d.producerId) this.#dropConsumer(id);
        break;
      case 'consumerClosed':
        this.#dropConsumer(d.consumerId);
        break;
      case 'producerPaused':
      case 'producerResumed':
        for (const remote of this.#consumers.values())
          if (remote.producerId === d.producerId)
            this.emit('trackPaused', remote, notification === 'producerPaused');
        break;
      case 'handRaised':
      case 'handLowered': {
        const raised = notification === 'handRaised';
        const peer = this.peers.get(d.peerId);
        if (peer) this.peers.set(d.peerId, { ...peer, handRaised: raised });
        this.emit('hand', d.peerId, raised);
        break;
      }
      case 'interpretationLanguages':
        this.#languages = (data as unknown as { languages: string[] }).languages;
        this.emit('interpretation');
        break;
      case 'interpretationChanged': {
        const changed = data as unknown as InterpretationChoice;
        this.#listening = { language: changed.language, muteOriginal: changed.muteOriginal };
        this.emit('interpretation');
        break;
      }
      case 'chatMessage':
        this.emit('chat', data as unknown as ChatLine);
        break;
      case 'sessionClosed':
        this.#end(d.reason, 4000);
        break;
    }
  }

  /** The server closed one of ours (a moderator's "camera off"): stop the device as well. */
  #ownProducerClosed(producerId: string, reason: string): void {
    for (const [source, producer] of this.#producers)
      if (producer.id === producerId) {
        this.#producers.delete(source);
        producer.close();
        producer.track?.stop();
        this.emit('producerClosedByServer', source, reason);
      }
  }
}

/** A peer as the protocol describes it; readers keep fields they know, such as a display name. */
function withName(peer: { role: string }): { role: string; displayName?: string; handRaised?: boolean } {
  const { displayName: name, handRaised } = peer as { displayName?: unknown; handRaised?: unknown };
  return {
    role: peer.role,
    ...(typeof name === 'string' && name ? { displayName: name } : {}),
    ...(handRaised === true ? { handRaised: true } : {}),
  };
}
