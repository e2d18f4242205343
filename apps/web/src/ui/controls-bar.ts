import type { CallPage } from '../call/call-page';
import { interpretationOptions, ORIGINAL_OPTION } from '../interpretation/interpretation-choice';
import { recordingControl } from '../recording/recording-state';
import { h } from './dom';

/** Microphone, camera, screen, hand, chat, moderator, record, fullscreen and leave buttons. */
export class ControlsBar {
  readonly element = h('nav', { class: 'controls', 'data-testid': 'controls' });

  constructor(
    private readonly call: CallPage,
    private readonly toggles: { chat(): void; moderator(): void; fullscreen(): void },
  ) {
    call.on('media', () => this.render());
    call.on('interpretation', () => this.render());
    call.on('recording', () => this.render());
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
        ...this.#interpretation(),
        p?.moderate && button('moderator', t('moderator'), () => this.toggles.moderator()),
        this.#record(),
        button('fullscreen', t('fullscreen'), () => this.toggles.fullscreen()),
        button('leave', t('leave'), () => call.leave()),
      ].filter((b): b is HTMLElement => !!b),
    );
  }

  /**
   * Record or Stop, beside the moderator's panel button, for a peer whose permissions now
   * have `record`; busy (disabled) from the press until the room's state follows.
   */
  #record(): HTMLElement | null {
    const { call } = this;
    const control = recordingControl(call.recording.state, call.mayRecord);
    if (!control) return null;
    const { action } = control;
    return h(
      'button',
      {
        'data-control': 'record',
        'data-action': action ?? undefined,
        class: call.recording.recording ? 'recording' : undefined,
        disabled: control.busy,
        'aria-busy': control.busy ? 'true' : undefined,
        onclick: () => {
          if (action)
            // A refusal is told in the notice by the call page; nothing more to do here.
            void call.setRecording(action === 'start').catch((e) => console.warn('record', e));
        },
      },
      call.t.t(control.label),
    );
  }

  /** The language picker and the mute-original toggle, while an interpreter's channel is live. */
  #interpretation(): HTMLElement[] {
    const { call } = this;
    const session = call.session;
    if (!session) return [];
    const current = call.listeningOption;
    const options = interpretationOptions(session.languages, session.listening.language);
    if (options.length === 0) return [];
    const names = languageNames(call.t.locale);
    const act = (option: string, muteOriginal: boolean) =>
      void call.listenTo(option, muteOriginal).catch((e) => console.warn('interpretation', e));
    const picker = h(
      'select',
      {
        'data-control': 'interpretation',
        'aria-label': call.t.t('interpretation'),
        title: call.t.t('interpretation'),
        onchange: () => act(picker.value, session.listening.muteOriginal),
      },
      ...options.map((option) =>
        h(
          'option',
          { value: option, selected: option === current },
          option === ORIGINAL_OPTION ? call.t.t('originalAudio') : names(option),
        ),
      ),
    );
    picker.value = current;
    const muted = session.listening.muteOriginal;
    const mute = h(
      'button',
      {
        'data-control': 'mute-original',
        'aria-pressed': String(muted),
        disabled: current === ORIGINAL_OPTION,
        onclick: () => act(current, !muted),
      },
      muted ? call.t.t('unmuteOriginal') : call.t.t('muteOriginal'),
    );
    return [picker, mute];
  }
}

/** A language's name in the page's language (the code itself when the browser cannot name it). */
function languageNames(locale: string): (code: string) => string {
  try {
    const names = new Intl.DisplayNames([locale], { type: 'language' });
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    };
  } catch {
    return (code) => code;
  }
}
