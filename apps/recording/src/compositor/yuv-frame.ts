/** One picture in yuv420p (I420): the Y plane, then U and V at half width and height. */
export interface YuvFrame {
  width: number;
  height: number;
  data: Buffer;
}

export interface YuvColor {
  y: number;
  u: number;
  v: number;
}

export function yuvFrameBytes(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

/** BT.601 limited range, as libx264 and the decoders' rawvideo output use. */
export function rgbToYuv(rgb: number): YuvColor {
  const r = (rgb >> 16) & 255;
  const g = (rgb >> 8) & 255;
  const b = rgb & 255;
  return {
    y: Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256),
    u: Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256),
    v: Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256),
  };
}

export function solidFrame(width: number, height: number, color: YuvColor): YuvFrame {
  const data = Buffer.allocUnsafe(yuvFrameBytes(width, height));
  const luma = width * height;
  const chroma = luma / 4;
  data.fill(color.y, 0, luma);
  data.fill(color.u, luma, luma + chroma);
  data.fill(color.v, luma + chroma);
  return { width, height, data };
}

interface Plane {
  offset: number;
  stride: number;
}

function planes(f: { width: number; height: number }): [Plane, Plane, Plane] {
  const luma = f.width * f.height;
  const half = f.width / 2;
  return [
    { offset: 0, stride: f.width },
    { offset: luma, stride: half },
    { offset: luma + luma / 4, stride: half },
  ];
}

/** Rows [top, top+h) and columns [left, left+w) of dst, clipped to both frames. */
function clip(dst: YuvFrame, x: number, y: number, w: number, h: number) {
  const left = Math.max(0, x);
  const top = Math.max(0, y);
  const right = Math.min(dst.width, x + w);
  const bottom = Math.min(dst.height, y + h);
  return right > left && bottom > top ? { left, top, right, bottom } : null;
}

/** Copies src into dst with its top-left corner at (x, y), both even; what falls outside is cut. */
export function blit(dst: YuvFrame, src: YuvFrame, x: number, y: number): void {
  const area = clip(dst, x, y, src.width, src.height);
  if (!area) return;
  const d = planes(dst);
  const s = planes(src);
  for (let p = 0; p < 3; p++) {
    const shift = p === 0 ? 0 : 1;
    const w = (area.right - area.left) >> shift;
    const sx = (area.left - x) >> shift;
    const dx = area.left >> shift;
    for (let row = area.top >> shift; row < area.bottom >> shift; row++) {
      const sy = row - (y >> shift);
      const from = s[p].offset + sy * s[p].stride + sx;
      src.data.copy(dst.data, d[p].offset + row * d[p].stride + dx, from, from + w);
    }
  }
}

/** Paints a rectangle of dst (even coordinates) in one colour. */
export function fillRect(dst: YuvFrame, x: number, y: number, w: number, h: number, color: YuvColor): void {
  const area = clip(dst, x, y, w, h);
  if (!area) return;
  const d = planes(dst);
  const values = [color.y, color.u, color.v];
  for (let p = 0; p < 3; p++) {
    const shift = p === 0 ? 0 : 1;
    const dx = area.left >> shift;
    const width = (area.right - area.left) >> shift;
    for (let row = area.top >> shift; row < area.bottom >> shift; row++) {
      const start = d[p].offset + row * d[p].stride + dx;
      dst.data.fill(values[p], start, start + width);
    }
  }
}

/**
 * Nearest-neighbour scaling: crude, but a few milliseconds, and only shown for the
 * fraction of a second a decoder takes to restart at a tile's new size.
 */
export function scaleNearest(src: YuvFrame, width: number, height: number): YuvFrame {
  const out: YuvFrame = { width, height, data: Buffer.allocUnsafe(yuvFrameBytes(width, height)) };
  const s = planes(src);
  const d = planes(out);
  for (let p = 0; p < 3; p++) {
    const shift = p === 0 ? 0 : 1;
    const sw = src.width >> shift;
    const sh = src.height >> shift;
    const dw = width >> shift;
    const dh = height >> shift;
    const columns = new Int32Array(dw);
    for (let c = 0; c < dw; c++) columns[c] = Math.min(sw - 1, Math.floor(((c + 0.5) * sw) / dw));
    for (let row = 0; row < dh; row++) {
      const sy = Math.min(sh - 1, Math.floor(((row + 0.5) * sh) / dh));
      const from = s[p].offset + sy * s[p].stride;
      const to = d[p].offset + row * d[p].stride;
      for (let c = 0; c < dw; c++) out.data[to + c] = src.data[from + columns[c]];
    }
  }
  return out;
}
