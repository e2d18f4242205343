/** One finished part of a recording, on disk. */
export interface CompletedPart {
  dir: string;
  /** The HLS playlist (closed with EXT-X-ENDLIST) beside its segments. */
  playlist: string;
  /** The same media remuxed into one MP4 with its index at the front. */
  mp4: string;
  durationSeconds: number;
  startedAt: Date;
  endedAt: Date;
  /** True when its encoder did not end normally (a crash, a full disk) and it holds what was saved. */
  interrupted: boolean;
}

export const PLAYLIST_NAME = 'index.m3u8';
export const MP4_NAME = 'video.mp4';
export const SEGMENT_PATTERN = 'segment-%05d.ts';
export const SEGMENT_FILE = /^segment-(\d+)\.ts$/;
/** Written when a part starts: when it started, for the recovery of a crashed part. */
export const PART_INFO_NAME = 'part.json';

export interface PartInfo {
  startedAt: string;
  width: number;
  height: number;
  frameRate: number;
}
