import { parseLogLevel } from './log-levels';
import { isOperationalPath } from './operational-paths';

describe('parseLogLevel', () => {
  it.each([
    ['info', 'info'],
    ['DEBUG', 'debug'],
    [' warn ', 'warn'],
    ['log', 'info'],
    ['verbose', 'trace'],
    ['fatal', 'fatal'],
  ])('parses %p as %p', (input, expected) => {
    expect(parseLogLevel(input)).toBe(expected);
  });

  it('returns undefined for nothing or nonsense', () => {
    expect(parseLogLevel(undefined)).toBeUndefined();
    expect(parseLogLevel('')).toBeUndefined();
    expect(parseLogLevel('loud')).toBeUndefined();
  });
});

describe('isOperationalPath', () => {
  it('recognises probe and scrape paths, with or without a query', () => {
    expect(isOperationalPath('/metrics')).toBe(true);
    expect(isOperationalPath('/readyz?verbose=1')).toBe(true);
    expect(isOperationalPath('/healthz')).toBe(true);
    expect(isOperationalPath('/rooms')).toBe(false);
    expect(isOperationalPath('/metrics/extra')).toBe(false);
    expect(isOperationalPath(undefined)).toBe(false);
  });
});
