import type { CallPage } from '../call/call-page';
import { ChatPanel } from './chat-panel';
import { ControlsBar } from './controls-bar';
import { h } from './dom';
import { ModeratorPanel } from './moderator-panel';
import { RecordingIndicator } from './recording-indicator';
import { TileGrid } from './tile-grid';

/** What the person sees once past the welcome screen: notices, the tiles, the controls and the panels. */
export class CallView {
  readonly tiles: TileGrid;
  readonly controls: ControlsBar;
  readonly chat: ChatPanel;
  readonly moderator: ModeratorPanel;
  readonly recording: RecordingIndicator;
  readonly #status = h('div', { class: 'status', 'data-testid': 'status', role: 'status' });
  readonly #notice = h('div', { class: 'notice', 'data-testid': 'notice', role: 'alert' });
  readonly #stage = h('main', { class: 'stage' });
  #controlsVisible: boolean;

  constructor(
    private readonly root: HTMLElement,
    private readonly call: CallPage,
  ) {
    const page = call.link.page;
    this.tiles = new TileGrid(
      { sortPeers: page.sortPeers, minimizeTiles: page.minimizeTiles, hideIndicators: page.hideIndicators },
      (peerId) => this.togglePin(peerId),
      () => call.t.t('pin'),
      () => call.noteRemoteFrame(),
      () => this.#audioBlocked(),
      (peerId, width, height) => this.#tileSize(peerId, width, height),
    );
    this.controls = new ControlsBar(call, {
      chat: () => this.chat.toggle(),
      moderator: () => this.moderator.toggle(),
      fullscreen: () => void this.setFullscreen(!this.isFullscreen()),
    });
    this.chat = new ChatPanel(call);
    this.moderator = new ModeratorPanel(call);
    this.recording = new RecordingIndicator(call);
    this.#controlsVisible = !page.controlsDisabled;

    call.on('phase', (phase, detail) => this.#onPhase(phase, detail));
    // A peer may leave after its tracks already went: re-sync tiles on both.
    call.on('peers', () => {
      this.#syncPeers();
      this.#syncMedia();
    });
    call.on('media', () => this.#syncMedia());
    call.on('notice', (text) => this.notify(text));
    call.on('speaker', (peerId) => this.tiles.setSpeaker(peerId));
    call.t.onChange(() => this.controls.render());
  }

  #onPhase(phase: string, detail?: { reason?: string; message?: string }): void {
    this.root.dataset.phase = phase;
    if (phase === 'joining') return this.#show(this.call.t.t('joining'));
    if (phase === 'waiting') return this.#show(detail?.message ?? this.call.t.t('waiting'));
    if (phase === 'refused' || phase === 'ended') {
      this.#status.dataset.reason = detail?.reason ?? '';
      const heading = phase === 'refused' ? this.call.t.t('cannotJoin') : '';
      return this.#show(heading ? `${heading}: ${detail?.message ?? ''}` : (detail?.message ?? ''), phase);
    }
    if (phase === 'in-call') this.#enterCall();
  }

  #show(text: string, testid = 'status'): void {
    this.#status.textContent = text;
    this.#status.dataset.testid = testid;
    this.root.replaceChildren(this.#status);
  }

  #enterCall(): void {
    const call = this.call;
    const page = call.link.page;
    const side = h('div', { class: 'side' }, this.chat.element, this.moderator.element);
    this.#stage.replaceChildren(
      ...(page.video
        ? [h('iframe', { class: 'shared-player', src: page.video, allow: 'autoplay; fullscreen' })]
        : []),
      this.tiles.element,
    );
    this.root.replaceChildren(
      h('div', { class: 'call' }, this.recording.element, this.#notice, this.#stage, side),
      this.controls.element,
    );
    this.controls.setVisible(this.#controlsVisible);
    // A webinar viewer has no tile of its own; everyone else does.
    if (call.session?.canPublish) this.tiles.ensure(call.peerId!, call.nameOf(call.peerId!), true);
    else this.notify(call.t.t('viewer'));
    this.#syncPeers();
    this.#syncMedia();
    this.controls.render();
  }

  #syncPeers(): void {
    const session = this.call.session;
    if (!session) return;
    for (const [peerId, peer] of session.peers) {
      // Webinar viewers watch without a tile.
      if (peer.role === 'viewer') continue;
      this.tiles.ensure(peerId, this.call.nameOf(peerId));
      this.tiles.rename(peerId, this.call.nameOf(peerId));
    }
    if (this.call.peerId && this.tiles.has(this.call.peerId))
      this.tiles.rename(this.call.peerId, this.call.nameOf(this.call.peerId));
  }

  /** Puts each track in its peer's tile: ours from the producers, others' from the consumers. */
  #syncMedia(): void {
    const call = this.call;
    const session = call.session;
    if (!session) return;
    const me = call.peerId!;
    if (this.tiles.has(me))
      for (const source of ['camera', 'screen', 'microphone'] as const)
        this.tiles.setTrack(me, source, call.localTrack(source));
    this.tiles.setHand(me, call.handRaised);
    const remote = session.remoteTracks();
    // Webinar viewers watch without a tile, unless they send something (a new role).
    const shown = [...session.peers].filter(([, peer]) => peer.role !== 'viewer').map(([id]) => id);
    for (const peerId of new Set([...shown, ...remote.map((r) => r.peerId)])) {
      if (!this.tiles.has(peerId)) this.tiles.ensure(peerId, call.nameOf(peerId));
      for (const source of ['camera', 'screen', 'microphone', 'screenAudio'] as const)
        this.tiles.setTrack(
          peerId,
          source,
          remote.find((r) => r.peerId === peerId && r.source === source)?.track ?? null,
        );
      this.tiles.setHand(peerId, session.peers.get(peerId)?.handRaised === true);
    }
    for (const tile of this.tiles.element.querySelectorAll<HTMLElement>('.tile:not(.local)'))
      if (
        !session.peers.has(tile.dataset.peerId!) ||
        (!shown.includes(tile.dataset.peerId!) && !remote.some((r) => r.peerId === tile.dataset.peerId))
      )
        this.tiles.remove(tile.dataset.peerId!);
  }

  /**
   * Autoplay rules held someone's sound back (iOS webinar viewers with
   * autoplayWithoutAudioTrack, mostly): tell the integrator, and offer a button.
   */
  #audioBlocked(): void {
    this.call.emit('bridge', 'playingAudioPrevent');
    if (this.root.querySelector('[data-control=play-audio]')) return;
    const button = h(
      'button',
      {
        'data-control': 'play-audio',
        class: 'primary',
        onclick: () =>
          void this.tiles.playAudio().then((played) => {
            if (played) button.remove();
          }),
      },
      this.call.t.t('playAudio'),
    );
    this.#stage.prepend(button);
  }

  /** Tells the server how big this peer's shown video is (the screen when shared, else the camera). */
  #tileSize(peerId: string, width: number, height: number): void {
    const session = this.call.session;
    if (!session) return;
    const tracks = session.remoteTracks().filter((r) => r.peerId === peerId && r.track.kind === 'video');
    const shown = tracks.find((r) => r.source === 'screen') ?? tracks.find((r) => r.source === 'camera');
    for (const remote of tracks)
      void session.setTileSize(
        remote.consumerId,
        remote === shown ? width : 0,
        remote === shown ? height : 0,
      );
  }

  notify(text: string): void {
    this.#notice.textContent = text;
    this.#notice.hidden = false;
    setTimeout(() => {
      if (this.#notice.textContent === text) this.#notice.hidden = true;
    }, 6000);
  }

  setControlsVisible(visible: boolean): void {
    this.#controlsVisible = visible;
    this.controls.setVisible(visible);
  }

  togglePin(peerId: string): void {
    this.pin(this.tiles.pinned === peerId ? null : peerId);
  }

  /** Pins a peer's tile to the stage, or unpins; false when there is no such tile. */
  pin(peerId: string | null): boolean {
    if (peerId && !this.tiles.has(peerId)) {
      this.call.emit('bridge', 'errorGetPin', { peerId });
      return false;
    }
    this.tiles.pin(peerId);
    this.call.emit('bridge', peerId ? 'switchOnPin' : 'switchOffPin', peerId ? { peerId } : undefined);
    return true;
  }

  isFullscreen(): boolean {
    return document.fullscreenElement !== null;
  }

  async setFullscreen(on: boolean): Promise<boolean> {
    try {
      if (on && !this.isFullscreen()) await document.documentElement.requestFullscreen();
      if (!on && this.isFullscreen()) await document.exitFullscreen();
    } catch (error) {
      console.warn('fullscreen', error);
    }
    return this.isFullscreen();
  }
}
