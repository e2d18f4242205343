import type { SignalingPayloadOf } from '@confer/contracts';

/** What this listener hears: the original voices, or an interpreter's language channel. */
export interface InterpretationChoice {
  /** A language channel (ISO 639-1), or null for the original. */
  language: string | null;
  /** While listening to a channel, also stop the original voices. */
  muteOriginal: boolean;
}

export const ORIGINAL: InterpretationChoice = { language: null, muteOriginal: false };

/** The picker's value for the original (a language code is never empty). */
export const ORIGINAL_OPTION = '';

/**
 * What the language picker offers: the original first, then each live language once, in
 * a stable order; nothing (no picker) while no interpreter's channel is live. A language
 * the person listens to stays offered so the picker never shows a choice it lacks.
 */
export function interpretationOptions(live: readonly string[], current: string | null = null): string[] {
  const languages = new Set(live.filter((l) => l.trim() !== ''));
  if (current) languages.add(current);
  if (languages.size === 0) return [];
  return [ORIGINAL_OPTION, ...[...languages].sort()];
}

/** The person picked an option (and the mute toggle's state): the choice it means. */
export function choose(option: string, muteOriginal: boolean): InterpretationChoice {
  return option === ORIGINAL_OPTION ? ORIGINAL : { language: option, muteOriginal };
}

/** The `setInterpretation` request a choice sends; muting the original means nothing without a channel. */
export function interpretationRequest(choice: InterpretationChoice): SignalingPayloadOf<'setInterpretation'> {
  return choice.language === null
    ? { language: null, muteOriginal: false }
    : { language: choice.language, muteOriginal: choice.muteOriginal };
}

/**
 * After a signaling resume the notifications in between were lost: keep the choice while
 * its channel is still live (and say it again, so the server and the page agree), else
 * the server has already switched us back to the original.
 */
export function choiceAfterResume(
  choice: InterpretationChoice,
  live: readonly string[],
): InterpretationChoice {
  return choice.language !== null && !live.includes(choice.language) ? ORIGINAL : choice;
}
