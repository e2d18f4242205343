import type { CallPage } from '../call/call-page';
import type { ModeratedPeer, PeerAction, WaitingEntry } from '../rooms-api/rooms-api.client';
import { h } from './dom';

/**
 * The moderator's panel, through the rooms service's waiting-room and moderation API
 * (acting with this page's connectionId): who waits, who is in and with what rights,
 * raised hands, and the actions on one peer or on everyone.
 */
export class ModeratorPanel {
  readonly element = h('aside', { class: 'panel moderator', 'data-testid': 'moderator-panel', hidden: true });
  #timer?: ReturnType<typeof setInterval>;
  #waitingRoomOn = false;
  #rendered = '';

  constructor(private readonly call: CallPage) {
    call.on('phase', (phase) => {
      if (phase === 'ended') this.#stop();
    });
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (this.element.hidden) return this.#stop();
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), 1500);
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async refresh(): Promise<void> {
    const actor = this.call.admitted;
    if (!actor) return;
    try {
      const [{ waiting }, { peers }] = await Promise.all([
        this.call.api.waitingList(actor),
        this.call.api.moderatedPeers(actor),
      ]);
      for (const peer of peers) if (peer.displayName) this.call.names.set(peer.peerId, peer.displayName);
      // Re-render only on change, so a button is not replaced under the pointer.
      const snapshot = JSON.stringify([waiting, peers, this.#waitingRoomOn, this.call.t.locale]);
      if (snapshot === this.#rendered) return;
      this.#rendered = snapshot;
      this.#render(
        waiting.filter((w) => w.status === 'pending'),
        peers.filter((p) => p.peerId !== actor.peerId),
      );
    } catch (error) {
      console.warn('moderator panel', error);
    }
  }

  #act(work: () => Promise<unknown>): () => void {
    return () =>
      void work()
        .then(() => this.refresh())
        .catch((error) => this.call.emit('notice', String(error.message ?? error)));
  }

  #render(waiting: WaitingEntry[], peers: ModeratedPeer[]): void {
    const { call } = this;
    const actor = call.admitted!;
    const t = (k: Parameters<typeof call.t.t>[0]) => call.t.t(k);
    const peerAction = (peerId: string, action: PeerAction, label: string) =>
      h(
        'button',
        { 'data-action': action, onclick: this.#act(() => call.api.moderatePeer(actor, peerId, action)) },
        label,
      );
    const waitingRows = waiting.map((w) =>
      h(
        'li',
        { 'data-waiting-id': w.waitingId, 'data-peer-id': w.peerId },
        h('span', { class: 'name' }, w.displayName ?? w.peerId),
        h(
          'button',
          {
            'data-action': 'admit',
            onclick: this.#act(() => call.api.decideWaiting(actor, w.waitingId, 'admit')),
          },
          t('admit'),
        ),
        h(
          'button',
          {
            'data-action': 'reject',
            onclick: this.#act(() => call.api.decideWaiting(actor, w.waitingId, 'reject')),
          },
          t('reject'),
        ),
      ),
    );
    const peerRows = peers.map((p) =>
      h(
        'li',
        { 'data-peer-id': p.peerId },
        h('span', { class: 'name' }, p.displayName ?? p.peerId),
        p.handRaisedAt && h('span', { class: 'hand', title: t('handRaised') }, '✋'),
        p.permissions.publishAudio && peerAction(p.peerId, 'disable_audio', t('mute')),
        p.permissions.publishVideo && peerAction(p.peerId, 'disable_video', t('stopCamera')),
        p.permissions.shareScreen
          ? peerAction(p.peerId, 'forbid_screen_share', t('forbidSharing'))
          : p.role !== 'viewer' && peerAction(p.peerId, 'allow_screen_share', t('allowSharing')),
        p.permissions.publishAudio && peerAction(p.peerId, 'request_audio', t('askMic')),
        p.permissions.publishVideo && peerAction(p.peerId, 'request_video', t('askCamera')),
        p.permissions.shareScreen && peerAction(p.peerId, 'request_screen_share', t('askShare')),
        p.handRaisedAt && peerAction(p.peerId, 'lower_hand', t('lowerHand')),
        peerAction(p.peerId, 'remove_peer', t('remove')),
      ),
    );
    const switchWaiting = h(
      'button',
      {
        'data-action': 'waiting-room',
        onclick: this.#act(async () => {
          const { enabled } = await call.api.setWaitingRoom(actor, !this.#waitingRoomOn);
          this.#waitingRoomOn = enabled;
        }),
      },
      this.#waitingRoomOn ? t('waitingRoomOff') : t('waitingRoomOn'),
    );
    this.element.replaceChildren(
      h('h2', {}, t('moderator')),
      h(
        'section',
        {},
        h('h3', {}, t('waitingRoom')),
        switchWaiting,
        waitingRows.length
          ? h('ul', { 'data-testid': 'waiting-list' }, ...waitingRows)
          : h('p', {}, t('nobodyWaiting')),
      ),
      h(
        'section',
        {},
        h('h3', {}, t('participants')),
        h(
          'button',
          {
            'data-action': 'disable_all_audio',
            onclick: this.#act(() => call.api.moderateRoom(actor, 'disable_all_audio')),
          },
          t('muteAll'),
        ),
        h(
          'button',
          {
            'data-action': 'disable_all_video',
            onclick: this.#act(() => call.api.moderateRoom(actor, 'disable_all_video')),
          },
          t('camerasOffAll'),
        ),
        h('ul', { 'data-testid': 'peer-list' }, ...peerRows),
      ),
    );
  }
}
