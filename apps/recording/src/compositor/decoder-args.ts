import { filterPath } from './ffmpeg-child';

/**
 * Input flags of every RTP decoder: probe only the first few kilobytes (the SDP says
 * what the stream is; the first key frame gives its size), and decode the probed
 * packets too: with -fflags nobuffer ffmpeg drops them, key frame included, and a tile
 * then waits for the next key frame (measured: ~1.5 s to a first frame instead of
 * ~0.5 s). Decoders are single-threaded: a tile decodes in a fraction of a core, and
 * frame threads would add latency and overhead.
 */
export function rtpInputArgs(sdpPath: string, listenIp: string): string[] {
  return [
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-threads', '1'],
    ['-protocol_whitelist', 'file,udp,rtp', '-localaddr', listenIp],
    ['-flags', 'low_delay', '-analyzeduration', '100000', '-probesize', '4096'],
    ['-i', sdpPath],
  ].flat();
}

export const TILE_BACKGROUND = '0x202124';

/**
 * Decodes to exactly width x height: the video keeps its aspect ratio (letterboxed in
 * the tile's background colour) and carries the peer's name at the bottom left.
 * Frames leave as they are decoded (passthrough): the composite's clock picks the
 * latest one for each of its frames.
 */
export function videoTileArgs(
  sdpPath: string,
  listenIp: string,
  look: { width: number; height: number },
  labelPath: string,
): string[] {
  const { width, height } = look;
  const fontSize = Math.max(12, Math.min(32, Math.round(height * 0.06)));
  const margin = Math.round(fontSize / 2);
  const filters = [
    `scale=w=${width}:h=${height}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=fast_bilinear`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=${TILE_BACKGROUND}`,
    `drawtext=font=Sans:textfile=${filterPath(labelPath)}:expansion=none:fontsize=${fontSize}:fontcolor=white` +
      `:box=1:boxcolor=black@0.55:boxborderw=${Math.round(margin / 2)}:x=${margin}:y=h-text_h-${margin}`,
  ];
  return [
    ...rtpInputArgs(sdpPath, listenIp),
    ['-map', '0:v:0', '-an', '-filter_threads', '1', '-vf', filters.join(',')],
    ['-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-flush_packets', '1', 'pipe:1'],
  ].flat();
}

/** Decodes to 48 kHz stereo s16le, flushed packet by packet (20 ms) instead of in 32 KiB blocks. */
export function audioArgs(sdpPath: string, listenIp: string): string[] {
  return [
    ...rtpInputArgs(sdpPath, listenIp),
    ['-map', '0:a:0', '-vn', '-f', 's16le', '-ar', '48000', '-ac', '2', '-flush_packets', '1', 'pipe:1'],
  ].flat();
}
