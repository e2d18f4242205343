import type { CallPage } from '../call/call-page';
import { h } from './dom';

/** Microphone, camera, screen, hand, chat, moderator, fullscreen and leave buttons. */
export class ControlsBar {
  readonly element = h('nav', { class: 'controls', 'data-testid': 'controls' });

  constructor(
    private readonly call: CallPage,
    private readonly toggles: { chat(): void; moderator(): void; fullscreen(): void },
  ) {
    call.on('media', () => this.render());
    call.t.onChange(() => this.render());
  }

  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
  }

  render(): void {
    const { call } = this;
    const t = (k: Parameters<typeof call.t.t>[0]) => call.t.t(k);
    const p = call.admitted?.permissions;
    const settings = call.admitted?.settings ?? {};
    const button = (name: string, label: string, onclick: () => unknown, pressed?: boolean) =>
      h(
        'button',
        {
          'data-control': name,
          'aria-pressed': pressed === undefined ? undefined : String(pressed),
          onclick: () => void Promise.resolve(onclick()).catch((e) => console.warn(name, e)),
        },
        label,
      );
    const on = (source: 'microphone' | 'camera' | 'screen') => call.isOn(source);
    this.element.replaceChildren(
      ...[
        p?.publishAudio &&
          button(
            'mic',
            on('microphone') ? t('micOff') : t('micOn'),
            () => call.toggle('microphone'),
            on('microphone'),
          ),
        p?.publishVideo &&
          button(
            'camera',
            on('camera') ? t('camOff') : t('camOn'),
            () => call.toggle('camera'),
            on('camera'),
          ),
        p?.shareScreen &&
          button(
            'share',
            on('screen') ? t('shareOff') : t('shareOn'),
            () => call.toggle('screen'),
            on('screen'),
          ),
        p?.raiseHand &&
          settings.handEnabled === true &&
          button(
            'hand',
            call.handRaised ? t('lowerHand') : t('raiseHand'),
            () => call.toggleHand(),
            call.handRaised,
          ),
        !call.link.page.disableChat &&
          p?.chat !== false &&
          button('chat', t('chat'), () => this.toggles.chat()),
        p?.moderate && button('moderator', t('moderator'), () => this.toggles.moderator()),
        button('fullscreen', t('fullscreen'), () => this.toggles.fullscreen()),
        button('leave', t('leave'), () => call.leave()),
      ].filter((b): b is HTMLButtonElement => !!b),
    );
  }
}
