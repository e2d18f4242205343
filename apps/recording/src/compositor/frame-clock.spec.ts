import { FrameClock } from './frame-clock';
import { samplesForFrame } from './composite-options';

describe('FrameClock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks from one start time, catching up after a late wake-up instead of drifting', () => {
    let now = 0;
    const frames: number[] = [];
    const clock = new FrameClock(
      30,
      (i) => frames.push(i),
      () => now,
    );
    clock.start();
    expect(frames).toEqual([0]);
    now = 1000; // the event loop was busy for a second
    jest.advanceTimersByTime(40);
    expect(frames).toHaveLength(31);
    expect(clock.framesProduced).toBe(31);
    clock.stop();
    now = 5000;
    jest.advanceTimersByTime(5000);
    expect(frames).toHaveLength(31);
  });

  it('gives up frames beyond its catch-up limit', () => {
    let now = 0;
    const frames: number[] = [];
    const clock = new FrameClock(
      10,
      (i) => frames.push(i),
      () => now,
      5,
    );
    clock.start();
    now = 10_000;
    jest.advanceTimersByTime(200);
    expect(clock.framesSkipped).toBe(95);
    expect(frames).toHaveLength(6);
    clock.stop();
  });
});

describe('samplesForFrame', () => {
  it('gives each frame its share of 48 kHz audio, exactly over any number of frames', () => {
    expect(samplesForFrame(0, 30)).toBe(1600);
    let total = 0;
    for (let i = 0; i < 2997; i++) total += samplesForFrame(i, 29.97);
    expect(total).toBe(Math.floor((2997 * 48000) / 29.97));
  });
});
