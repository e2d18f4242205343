import { LanguageChannels } from './language-channels';

describe('LanguageChannels', () => {
  let channels: LanguageChannels;
  let changes: string[][];
  let expired: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    channels = new LanguageChannels(30_000);
    changes = [];
    expired = [];
    channels.on('change', (languages) => changes.push(languages));
    channels.on('expired', (language) => expired.push(language));
  });
  afterEach(() => {
    channels.close();
    jest.useRealTimers();
  });

  it('lists a language with its first interpreter, once', () => {
    channels.add('p1', 'de');
    channels.add('p2', 'de');
    channels.add('p3', 'fr');
    expect(channels.languages).toEqual(['de', 'fr']);
    expect(changes).toEqual([['de'], ['de', 'fr']]);
  });

  it('keeps a language while another interpreter speaks it, and for the linger after the last', () => {
    channels.add('p1', 'de');
    channels.add('p2', 'de');
    channels.remove('p1');
    jest.advanceTimersByTime(60_000);
    expect(channels.languages).toEqual(['de']);
    channels.remove('p2');
    jest.advanceTimersByTime(29_999);
    expect(channels.has('de')).toBe(true);
    jest.advanceTimersByTime(1);
    expect(channels.has('de')).toBe(false);
    expect(expired).toEqual(['de']);
    expect(changes.at(-1)).toEqual([]);
  });

  it('keeps the language when an interpreter comes back within the linger', () => {
    channels.add('p1', 'de');
    channels.remove('p1');
    jest.advanceTimersByTime(10_000);
    channels.add('p1-again', 'de');
    jest.advanceTimersByTime(60_000);
    expect(channels.languages).toEqual(['de']);
    expect(expired).toEqual([]);
    expect(changes).toEqual([['de']]);
  });
});
