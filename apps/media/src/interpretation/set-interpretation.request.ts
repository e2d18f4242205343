import { MediaErrors } from '../media.errors';
import type { JoinedHandlers } from '../signaling/requests/joined-handlers';
import { applyListening } from './listening';

/** A listener picks an interpreter's language channel, or the original, and may mute the original. */
export const interpretationRequests: Pick<JoinedHandlers, 'setInterpretation'> = {
  async setInterpretation({ peer, room }, { language, muteOriginal }) {
    if (language !== null && !room.languages.has(language))
      throw MediaErrors.languageNotAvailable({ language, languages: room.languages.languages });
    peer.listening = { language, muteOriginal: language !== null && muteOriginal === true };
    await applyListening(peer, (id) => room.findProducer(id));
    return { ...peer.listening, languages: room.languages.languages };
  },
};
