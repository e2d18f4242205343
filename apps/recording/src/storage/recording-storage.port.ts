import type { Request, Response } from 'express';

/** The files of a part that are ever served: its playlist, its segments and its MP4. */
export const PART_FILE = /^(index\.m3u8|video\.mp4|segment-[0-9]{5}\.ts)$/;

export const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  mp4: 'video/mp4',
};

/** An HLS segment of a part (`segment-00042.ts`). */
export const SEGMENT_NAME = /^segment-[0-9]+\.ts$/;

/** A file of a part as the store holds it. */
export interface StoredFile {
  name: string;
  size: number;
}

/** A file to keep: one on disk, or text made here (a playlist). */
export type FileSource = { path: string } | { text: string };

export const contentTypeOf = (name: string): string =>
  CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

/** Where finished parts are kept and served from: a local directory or an S3-compatible store. */
export abstract class RecordingStorage {
  /**
   * Takes a finished part's directory and keeps its files under `key`; answers the bytes kept.
   * Segments the store already holds (kept one by one as they were recorded) are not sent again.
   */
  abstract storePart(dir: string, key: string): Promise<number>;
  /**
   * Keeps one file of a part still being recorded (a finished segment, the playlist so far)
   * under `key`, replacing an earlier copy; a reader never sees it half written.
   */
  abstract storeFile(key: string, name: string, source: FileSource): Promise<void>;
  /** The files kept under `key` (none: an empty list). */
  abstract listPart(key: string): Promise<StoredFile[]>;
  /** Copies one kept file to a local path (to rebuild a part whose replica died). */
  abstract fetchFile(key: string, name: string, path: string): Promise<void>;
  /** One file of a part, as text (the playlist, to sign its segment addresses). */
  abstract readText(key: string, name: string): Promise<string | null>;
  /** Answers a GET for one file of a part, with range requests; 404 when it is not there. */
  abstract serve(key: string, name: string, request: Request, response: Response): Promise<void>;
  abstract deletePart(key: string): Promise<void>;
}
