import { recordedSecondsOf, recordingDayOf } from './recorded-time-rules';

describe('recorded time rules', () => {
  it('counts a part in whole seconds, rounded up', () => {
    expect(recordedSecondsOf(60)).toBe(60);
    expect(recordedSecondsOf(59.2)).toBe(60);
    expect(recordedSecondsOf(0.001)).toBe(1);
    expect(recordedSecondsOf(3599.999)).toBe(3600);
  });

  it('does not add a second for noise below the millisecond', () => {
    expect(recordedSecondsOf(60.0000001)).toBe(60);
    expect(recordedSecondsOf(0.1 + 0.2 + 59.7)).toBe(60);
  });

  it('counts a part of no length (or a nonsensical one) as nothing', () => {
    expect(recordedSecondsOf(0)).toBe(0);
    expect(recordedSecondsOf(-3)).toBe(0);
    expect(recordedSecondsOf(Number.NaN)).toBe(0);
  });

  it('puts a part on the UTC day it started, even when it runs past midnight', () => {
    expect(recordingDayOf(new Date('2021-06-21T23:50:00Z'))).toBe('2021-06-21');
    expect(recordingDayOf(new Date('2021-06-21T23:59:59.999Z'))).toBe('2021-06-21');
    expect(recordingDayOf(new Date('2021-06-22T00:00:00Z'))).toBe('2021-06-22');
  });

  it('uses UTC, not the time zone the part was recorded in', () => {
    // 01:30 in Luxembourg in summer is still the previous day in UTC.
    expect(recordingDayOf(new Date('2021-06-22T01:30:00+02:00'))).toBe('2021-06-21');
  });
});
