import type { CallPage } from '../call/call-page';
import { h } from './dom';

/**
 * "● Recording" for everyone in the room while it is recorded, whatever the page hides
 * (controls, tile indicators): people must know they are recorded. The live region stays
 * in the page, empty when not recording, so screen readers announce when it fills.
 */
export class RecordingIndicator {
  readonly element = h('div', {
    class: 'recording-indicator',
    'data-testid': 'recording-indicator',
    role: 'status',
    'aria-live': 'polite',
  });

  constructor(private readonly call: CallPage) {
    call.on('recording', () => this.render());
    call.t.onChange(() => this.render());
    this.render();
  }

  #shown = '';

  render(): void {
    const recording = this.call.recording.recording;
    // Only on a change: refilling the live region with the same words would announce them again.
    const shown = `${recording}:${this.call.t.locale}`;
    if (shown === this.#shown) return;
    this.#shown = shown;
    this.element.dataset.recording = String(recording);
    this.element.replaceChildren(
      ...(recording
        ? [
            h('span', { class: 'dot', 'aria-hidden': 'true' }),
            h('span', { class: 'label' }, this.call.t.t('recordingIndicator')),
          ]
        : []),
    );
  }
}
