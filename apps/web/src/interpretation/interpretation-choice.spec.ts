import {
  choiceAfterResume,
  choose,
  interpretationOptions,
  interpretationRequest,
  ORIGINAL,
  ORIGINAL_OPTION,
} from './interpretation-choice';

describe('interpretation choice', () => {
  it('offers no picker while no language is live', () => {
    expect(interpretationOptions([])).toEqual([]);
    expect(interpretationOptions([''])).toEqual([]);
  });

  it('offers the original, then each live language once, in a stable order', () => {
    expect(interpretationOptions(['fr', 'de', 'fr'])).toEqual([ORIGINAL_OPTION, 'de', 'fr']);
  });

  it('keeps offering the language listened to until the server switches back', () => {
    expect(interpretationOptions(['de'], 'ru')).toEqual([ORIGINAL_OPTION, 'de', 'ru']);
    expect(interpretationOptions([], 'ru')).toEqual([ORIGINAL_OPTION, 'ru']);
  });

  it('sends the picked language with the mute toggle', () => {
    expect(interpretationRequest(choose('de', true))).toEqual({ language: 'de', muteOriginal: true });
    expect(interpretationRequest(choose('de', false))).toEqual({ language: 'de', muteOriginal: false });
  });

  it('sends the original as null, never muted', () => {
    expect(choose(ORIGINAL_OPTION, true)).toEqual(ORIGINAL);
    expect(interpretationRequest(choose(ORIGINAL_OPTION, true))).toEqual({
      language: null,
      muteOriginal: false,
    });
  });

  it('keeps the choice across a resume while its channel is live, else falls back to the original', () => {
    const german = { language: 'de', muteOriginal: true };
    expect(choiceAfterResume(german, ['de', 'fr'])).toEqual(german);
    expect(choiceAfterResume(german, ['fr'])).toEqual(ORIGINAL);
    expect(choiceAfterResume(ORIGINAL, [])).toEqual(ORIGINAL);
  });
});
