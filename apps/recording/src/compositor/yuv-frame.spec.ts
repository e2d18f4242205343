import { blit, fillRect, rgbToYuv, scaleNearest, solidFrame, yuvFrameBytes } from './yuv-frame';

const plane = (f: { width: number; height: number; data: Buffer }, p: 0 | 1 | 2) => {
  const luma = f.width * f.height;
  const start = p === 0 ? 0 : p === 1 ? luma : luma + luma / 4;
  return f.data.subarray(start, start + (p === 0 ? luma : luma / 4));
};

describe('yuv420p frames', () => {
  it('converts colours as limited-range BT.601', () => {
    expect(rgbToYuv(0x000000)).toEqual({ y: 16, u: 128, v: 128 });
    expect(rgbToYuv(0xffffff)).toEqual({ y: 235, u: 128, v: 128 });
  });

  it('copies a frame into another at an even position, in all three planes, clipped at the edges', () => {
    const dst = solidFrame(8, 4, { y: 1, u: 2, v: 3 });
    blit(dst, solidFrame(4, 2, { y: 9, u: 8, v: 7 }), 2, 2);
    expect([...plane(dst, 0)]).toEqual([
      ...[1, 1, 1, 1, 1, 1, 1, 1],
      ...[1, 1, 1, 1, 1, 1, 1, 1],
      ...[1, 1, 9, 9, 9, 9, 1, 1],
      ...[1, 1, 9, 9, 9, 9, 1, 1],
    ]);
    expect([...plane(dst, 1)]).toEqual([2, 2, 2, 2, 2, 8, 8, 2]);
    expect([...plane(dst, 2)]).toEqual([3, 3, 3, 3, 3, 7, 7, 3]);
    blit(dst, solidFrame(4, 4, { y: 5, u: 5, v: 5 }), 6, 2);
    expect(plane(dst, 0)[3 * 8 + 7]).toBe(5);
    expect(dst.data.length).toBe(yuvFrameBytes(8, 4));
  });

  it('fills a rectangle', () => {
    const dst = solidFrame(4, 4, { y: 0, u: 0, v: 0 });
    fillRect(dst, 2, 0, 2, 2, { y: 1, u: 2, v: 3 });
    expect([...plane(dst, 0)]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...plane(dst, 1)]).toEqual([0, 2, 0, 0]);
  });

  it('scales by nearest neighbour', () => {
    const src = solidFrame(4, 2, { y: 0, u: 50, v: 60 });
    src.data.set([10, 20, 30, 40, 50, 60, 70, 80], 0);
    const half = scaleNearest(src, 2, 2);
    expect([...plane(half, 0)]).toEqual([20, 40, 60, 80]);
    expect([...plane(half, 1)]).toEqual([50]);
    const double = scaleNearest(src, 8, 4);
    expect([...plane(double, 0)].slice(0, 8)).toEqual([10, 10, 20, 20, 30, 30, 40, 40]);
  });
});
