import { AppError } from '@confer/http';
import { parsePeriod, parseRoomId } from './statistics-period';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).status;
  }
  return 200;
};

describe('statistics period', () => {
  it('accepts the Gcore examples', () => {
    const p = parsePeriod('2021-06-21T00:00:00.0Z', '2021-06-22T23:59:59.99Z');
    expect(p.from.toISOString()).toBe('2021-06-21T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2021-06-22T23:59:59.990Z');
  });

  it.each([
    ['yesterday', '2021-06-22T00:00:00Z'],
    ['2021-06-21', '2021-06-22T00:00:00Z'],
    ['2021-13-40T00:00:00Z', '2021-06-22T00:00:00Z'],
    [undefined, '2021-06-22T00:00:00Z'],
    ['2021-06-23T00:00:00Z', '2021-06-22T00:00:00Z'],
  ])('refuses from=%s to=%s with 400', (from, to) => {
    expect(statusOf(() => parsePeriod(from, to))).toBe(400);
  });

  it('requires a room id', () => {
    expect(parseRoomId('serv2test2a')).toBe('serv2test2a');
    expect(statusOf(() => parseRoomId(undefined))).toBe(400);
    expect(statusOf(() => parseRoomId('a b'))).toBe(400);
  });
});
