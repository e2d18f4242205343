import type { MediaSource } from '@confer/contracts';
import { h } from './dom';

interface Tile {
  element: HTMLElement;
  video: HTMLVideoElement;
  audio: HTMLAudioElement;
  label: HTMLElement;
  indicators: HTMLElement;
  tracks: Map<MediaSource, MediaStreamTrack>;
  joinedAt: number;
  hand: boolean;
}

/**
 * The tiles of everyone in the call, one per peer (a screen share shows in its
 * sharer's tile, over the camera). Tiles keep join order unless sortPeers moves
 * those with video first; a pinned tile fills the stage.
 */
export class TileGrid {
  readonly element = h('div', { class: 'tiles', 'data-testid': 'tiles' });
  readonly #tiles = new Map<string, Tile>();
  #pinned: string | null = null;
  #volume = 1;
  #muted = false;

  constructor(
    private readonly options: { sortPeers: boolean; minimizeTiles: boolean; hideIndicators: boolean },
    private readonly onPinToggle: (peerId: string) => void,
    private readonly pinLabel: () => string,
    /** Called when a remote peer's video shows its first frame. */
    private readonly onRemoteFrame: () => void = () => undefined,
    /** Called when the browser refuses to play someone's sound until the person clicks. */
    private readonly onAudioBlocked: () => void = () => undefined,
    /** Called when a remote tile's video area changes size, in device pixels (0 when hidden). */
    private readonly onVideoSize: (peerId: string, width: number, height: number) => void = () => undefined,
  ) {
    this.element.classList.toggle('minimized', options.minimizeTiles);
    this.setHideIndicators(options.hideIndicators);
  }

  get pinned(): string | null {
    return this.#pinned;
  }

  has(peerId: string): boolean {
    return this.#tiles.has(peerId);
  }

  ensure(peerId: string, name: string, local = false): void {
    if (this.#tiles.has(peerId)) return;
    const video = h('video', { autoplay: true, playsInline: true, muted: true, 'data-peer-id': peerId });
    const audio = h('audio', { autoplay: true, 'data-peer-id': peerId });
    audio.addEventListener('autoplayblocked', () => this.onAudioBlocked());
    const label = h('span', { class: 'name' }, name);
    const indicators = h('span', { class: 'indicators' });
    const pin = h('button', { class: 'pin', onclick: () => this.onPinToggle(peerId) }, this.pinLabel());
    const element = h(
      'div',
      { class: `tile${local ? ' local' : ''}`, 'data-peer-id': peerId, 'data-testid': 'tile' },
      video,
      audio,
      h('div', { class: 'overlay' }, label, indicators, pin),
    );
    this.#tiles.set(peerId, {
      element,
      video,
      audio,
      label,
      indicators,
      tracks: new Map(),
      joinedAt: performance.now(),
      hand: false,
    });
    this.element.append(element);
    if (!local) this.#sizes.observe(video);
    this.#arrange();
  }

  /** Reports a remote tile's size again (its video changed: a new consumer to tell about). */
  reportSize(peerId: string): void {
    const tile = this.#tiles.get(peerId);
    if (!tile || tile.element.classList.contains('local')) return;
    const dpr = window.devicePixelRatio || 1;
    this.onVideoSize(peerId, tile.video.clientWidth * dpr, tile.video.clientHeight * dpr);
  }

  readonly #sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const peerId = (entry.target as HTMLElement).dataset.peerId;
      if (peerId) this.reportSize(peerId);
    }
  });

  remove(peerId: string): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    this.#sizes.unobserve(tile.video);
    tile.element.remove();
    this.#tiles.delete(peerId);
    if (this.#pinned === peerId) this.pin(null);
  }

  rename(peerId: string, name: string): void {
    const tile = this.#tiles.get(peerId);
    if (tile) tile.label.textContent = name;
  }

  setTrack(peerId: string, source: MediaSource, track: MediaStreamTrack | null): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    if (track) tile.tracks.set(source, track);
    else tile.tracks.delete(source);
    // The screen, when shared, is what people want to see of that peer.
    const video = tile.tracks.get('screen') ?? tile.tracks.get('camera');
    const audio = [tile.tracks.get('microphone'), tile.tracks.get('screenAudio')].filter(
      (t): t is MediaStreamTrack => !!t,
    );
    if (setStream(tile.video, video ? [video] : []) && video && !tile.element.classList.contains('local')) {
      tile.video.addEventListener('loadeddata', () => this.onRemoteFrame(), { once: true });
      this.reportSize(peerId);
    }
    if (!tile.element.classList.contains('local')) setStream(tile.audio, audio);
    tile.audio.volume = this.#volume;
    tile.audio.muted = this.#muted;
    tile.element.classList.toggle('has-video', !!video);
    this.#indicators(tile);
    this.#arrange();
  }

  /** Marks the room's active speaker (one at a time). */
  setSpeaker(peerId: string): void {
    for (const [id, tile] of this.#tiles) tile.element.classList.toggle('speaking', id === peerId);
  }

  setHand(peerId: string, raised: boolean): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    tile.hand = raised;
    this.#indicators(tile);
  }

  pin(peerId: string | null): void {
    this.#pinned = peerId && this.#tiles.has(peerId) ? peerId : null;
    for (const [id, tile] of this.#tiles) tile.element.classList.toggle('pinned', id === this.#pinned);
    this.element.classList.toggle('has-pinned', this.#pinned !== null);
  }

  setHideIndicators(hide: boolean): void {
    this.element.classList.toggle('hide-indicators', hide);
  }

  /** Volume of everyone else, 0 to 100. */
  setVolume(percent: number): void {
    this.#volume = Math.min(100, Math.max(0, percent)) / 100;
    for (const tile of this.#tiles.values()) tile.audio.volume = this.#volume;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    for (const tile of this.#tiles.values()) tile.audio.muted = muted;
  }

  /** Starts audio that autoplay rules held back; false when the browser still refuses. */
  async playAudio(): Promise<boolean> {
    const results = await Promise.all(
      [...this.#tiles.values()]
        .filter((t) => t.audio.srcObject)
        .map((t) =>
          t.audio.play().then(
            () => true,
            () => false,
          ),
        ),
    );
    return results.every(Boolean);
  }

  audioElements(): HTMLAudioElement[] {
    return [...this.#tiles.values()].map((t) => t.audio);
  }

  /** A still of the peer's video as a data: URL (PNG, base64), or null without video. */
  screenshot(peerId: string): string | null {
    const tile = this.#tiles.get(peerId);
    if (!tile || !tile.video.videoWidth) return null;
    const canvas = h('canvas', { width: tile.video.videoWidth, height: tile.video.videoHeight });
    canvas.getContext('2d')?.drawImage(tile.video, 0, 0);
    return canvas.toDataURL('image/png');
  }

  #indicators(tile: Tile): void {
    const marks = [
      tile.tracks.has('microphone') ? '🎤' : '🔇',
      tile.tracks.has('camera') ? '📷' : '',
      tile.tracks.has('screen') ? '🖥' : '',
      tile.hand ? '✋' : '',
    ];
    tile.indicators.textContent = marks.join(' ').trim();
    tile.element.classList.toggle('hand-raised', tile.hand);
  }

  #arrange(): void {
    if (!this.options.sortPeers) return;
    const ordered = [...this.#tiles.values()].sort(
      (a, b) => Number(b.tracks.has('camera')) - Number(a.tracks.has('camera')) || a.joinedAt - b.joinedAt,
    );
    for (const tile of ordered) this.element.append(tile.element);
  }
}

/** Gives the element these tracks; true when that changed what it plays. */
function setStream(element: HTMLMediaElement, tracks: MediaStreamTrack[]): boolean {
  const current = element.srcObject as MediaStream | null;
  const same =
    current &&
    current.getTracks().length === tracks.length &&
    tracks.every((t) => current.getTracks().includes(t));
  if (same) return false;
  element.srcObject = tracks.length ? new MediaStream(tracks) : null;
  if (tracks.length) element.play().catch(() => element.dispatchEvent(new Event('autoplayblocked')));
  return true;
}
