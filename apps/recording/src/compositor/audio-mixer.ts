import { AudioJitterBuffer } from './audio-jitter-buffer';
import { AUDIO_CHANNELS } from './composite-options';

/**
 * Sums `samples` (per channel) of every source into s16le, clipping rather than
 * wrapping around when speakers overlap loudly. Silence when there are no sources.
 */
export function mixAudio(sources: Iterable<AudioJitterBuffer>, samples: number): Buffer {
  const length = samples * AUDIO_CHANNELS;
  const sum = new Int32Array(length);
  const scratch = new Int16Array(length);
  for (const source of sources) {
    if (!source.readInto(scratch)) continue;
    for (let i = 0; i < length; i++) sum[i] += scratch[i];
  }
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const v = sum[i];
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return Buffer.from(out.buffer);
}
