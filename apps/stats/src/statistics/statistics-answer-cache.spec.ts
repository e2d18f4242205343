import { KeptAnswer, StatisticsAnswerCache } from './statistics-answer-cache';

const answer = (body: string): KeptAnswer => ({ body: Buffer.from(body), etag: `"${body.length}"` });
const bodyOf = (kept: KeptAnswer | undefined) => kept?.body.toString();

describe('StatisticsAnswerCache', () => {
  it('serves an answer again only while the room version is unchanged', () => {
    const cache = new StatisticsAnswerCache(1000);
    cache.set('room-a', '3', null, answer('{"a":1}'));
    expect(bodyOf(cache.get('room-a', '3', 60))).toBe('{"a":1}');
    expect(bodyOf(cache.get('room-a', '4', 60))).toBeUndefined();
    expect(bodyOf(cache.get('room-a', '3', 60))).toBeUndefined(); // the stale entry is gone
  });

  it('keeps an answer with open sessions only within its bucket', () => {
    const cache = new StatisticsAnswerCache(1000);
    cache.set('room-a', '1', 90, answer('{"open":true}'));
    expect(bodyOf(cache.get('room-a', '1', 90))).toBe('{"open":true}');
    expect(bodyOf(cache.get('room-a', '1', 120))).toBeUndefined();
  });

  it('drops the least recently used answers beyond its size', () => {
    const cache = new StatisticsAnswerCache(10);
    cache.set('a', '1', null, answer('1234'));
    cache.set('b', '1', null, answer('1234'));
    expect(bodyOf(cache.get('a', '1', 0))).toBe('1234'); // a is now the most recent
    cache.set('c', '1', null, answer('1234'));
    expect(bodyOf(cache.get('b', '1', 0))).toBeUndefined();
    expect(bodyOf(cache.get('a', '1', 0))).toBe('1234');
    expect(bodyOf(cache.get('c', '1', 0))).toBe('1234');
    cache.set('huge', '1', null, answer('12345678901'));
    expect(bodyOf(cache.get('huge', '1', 0))).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
