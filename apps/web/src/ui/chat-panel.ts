import type { CallPage } from '../call/call-page';
import type { ChatLine } from '../media/media-session';
import { h } from './dom';

/** The room's text chat, through the media service's signaling (sendChatMessage / chatMessage). */
export class ChatPanel {
  readonly element = h('aside', { class: 'panel chat', 'data-testid': 'chat', hidden: true });
  readonly #list = h('ol', { class: 'lines' });

  constructor(private readonly call: CallPage) {
    call.on('chat', (line) => this.#append(line));
    const input = h('input', { name: 'chat', maxLength: 2000, placeholder: call.t.t('chatPlaceholder') });
    const form = h('form', {}, input, h('button', { type: 'submit' }, call.t.t('send')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      call.sendChat(text).catch((error) => this.#append({ system: String(error.message ?? error) }));
    });
    this.element.append(h('h2', {}, call.t.t('chat')), this.#list, form);
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
  }

  #append(line: ChatLine | { system: string }): void {
    const item =
      'system' in line
        ? h('li', { class: 'system' }, line.system)
        : h(
            'li',
            { 'data-peer-id': line.peerId },
            h('b', {}, this.call.nameOf(line.peerId)),
            ' ',
            h('span', { class: 'text' }, line.text),
          );
    this.#list.append(item);
    item.scrollIntoView?.({ block: 'end' });
  }
}
