import { AudioJitterBuffer } from './audio-jitter-buffer';
import { mixAudio } from './audio-mixer';

/** n stereo samples of one value, as a decoder writes them (s16le). */
const pcm = (n: number, value: number) => {
  const b = Buffer.alloc(n * 4);
  for (let i = 0; i < n * 2; i++) b.writeInt16LE(value, i * 2);
  return b;
};
const samplesOf = (b: Buffer) => Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));

describe('AudioJitterBuffer', () => {
  it('stays silent until it holds startMs, then plays, then waits again after an underrun', () => {
    const j = new AudioJitterBuffer({ startMs: 40, maxMs: 200 });
    const out = new Int16Array(1600 * 2);
    j.push(pcm(960, 100)); // 20 ms
    expect(j.readInto(out)).toBe(false);
    j.push(pcm(960, 100)); // 40 ms
    expect(j.readInto(out)).toBe(true);
    expect(out[0]).toBe(100);
    expect(j.bufferedSamples).toBe(320);
    expect(j.readInto(out)).toBe(true); // the last 320 samples, then silence
    expect(out[639]).toBe(100);
    expect(out[640]).toBe(0);
    j.push(pcm(960, 5));
    expect(j.readInto(out)).toBe(false);
  });

  it('drops the oldest audio beyond maxMs', () => {
    const j = new AudioJitterBuffer({ startMs: 60, maxMs: 200 });
    for (let i = 0; i < 11; i++) j.push(pcm(960, i)); // 220 ms
    expect(j.bufferedSamples).toBe(2880); // back to 60 ms
    const out = new Int16Array(2);
    j.readInto(out);
    expect(out[0]).toBe(8);
  });

  it('joins samples split across pipe reads', () => {
    const j = new AudioJitterBuffer({ startMs: 0 });
    const b = pcm(2, 0x1234);
    j.push(b.subarray(0, 3));
    j.push(b.subarray(3));
    const out = new Int16Array(4);
    j.readInto(out);
    expect([...out]).toEqual([0x1234, 0x1234, 0x1234, 0x1234]);
  });
});

describe('mixAudio', () => {
  it('sums sources and clips instead of wrapping around', () => {
    const a = new AudioJitterBuffer({ startMs: 0 });
    const b = new AudioJitterBuffer({ startMs: 0 });
    a.push(pcm(2, 30000));
    b.push(pcm(1, 10000));
    expect(samplesOf(mixAudio([a, b], 2))).toEqual([32767, 32767, 30000, 30000]);
  });

  it('is silence without sources', () => {
    expect(samplesOf(mixAudio([], 1600)).every((v) => v === 0)).toBe(true);
    expect(mixAudio([], 1600).length).toBe(6400);
  });
});
