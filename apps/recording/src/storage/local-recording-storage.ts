import { constants } from 'fs';
import { access, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'fs/promises';
import { basename, dirname, join } from 'path';
import type { Request, Response } from 'express';
import { RecordingErrors } from '../recording.errors';
import {
  contentTypeOf,
  FileSource,
  PART_FILE,
  RecordingStorage,
  SEGMENT_NAME,
  StoredFile,
} from './recording-storage.port';

/** Parts kept in a directory of this host (the default, and what `npm start` uses). */
export class LocalRecordingStorage extends RecordingStorage {
  constructor(private readonly root: string) {
    super();
  }

  async storePart(dir: string, key: string): Promise<number> {
    const target = this.pathOf(key);
    if (target !== dir) {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
      await mkdir(target, { recursive: true });
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const from = join(dir, entry.name);
        const to = join(target, entry.name);
        // A segment kept while it was recorded is there already: the work copy is let go.
        if (SEGMENT_NAME.test(entry.name) && (await sizeOf(to)) === (await sizeOf(from))) continue;
        await moveFile(from, to);
      }
      await rm(dir, { recursive: true, force: true });
    }
    let bytes = 0;
    for (const name of await readdir(target)) bytes += (await stat(join(target, name))).size;
    return bytes;
  }

  async storeFile(key: string, name: string, source: FileSource): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(this.root, { recursive: true });
    await mkdir(target, { recursive: true });
    const partial = join(target, `.partial-${name}`);
    await rm(partial, { force: true });
    if ('text' in source) await writeFile(partial, source.text);
    else await linkOrCopy(source.path, partial);
    await rename(partial, join(target, name));
  }

  async listPart(key: string): Promise<StoredFile[]> {
    const dir = this.pathOf(key);
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const files: StoredFile[] = [];
    for (const entry of entries)
      if (entry.isFile() && !entry.name.startsWith('.'))
        files.push({ name: entry.name, size: (await stat(join(dir, entry.name))).size });
    return files;
  }

  async fetchFile(key: string, name: string, path: string): Promise<void> {
    await linkOrCopy(join(this.pathOf(key), name), path);
  }

  async readText(key: string, name: string): Promise<string | null> {
    return readFile(join(this.pathOf(key), name), 'utf8').catch(() => null);
  }

  serve(key: string, name: string, request: Request, response: Response): Promise<void> {
    if (!PART_FILE.test(name)) throw RecordingErrors.fileNotFound({ name });
    return new Promise((resolve, reject) =>
      response.sendFile(
        name,
        { root: this.pathOf(key), acceptRanges: true, headers: { 'content-type': contentTypeOf(name) } },
        (error?: Error & { status?: number }) => {
          if (!error) return resolve();
          if (response.headersSent) {
            // A client that hung up mid-file: nothing more to answer.
            response.destroy();
            return resolve();
          }
          if (error.status === 404) return reject(RecordingErrors.fileNotFound({ name }));
          if (error.status === 416) {
            // The file's size, for the client to ask again (Content-Range: bytes */<size>).
            const headers = (error as { headers?: Record<string, string> }).headers ?? {};
            for (const [header, value] of Object.entries(headers)) response.setHeader(header, value);
            return reject(RecordingErrors.rangeNotSatisfiable({ range: request.headers.range ?? null }));
          }
          if (error.status === 412) {
            response.status(412).end();
            return resolve();
          }
          reject(error);
        },
      ),
    );
  }

  async deletePart(key: string): Promise<void> {
    await rm(this.pathOf(key), { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.size;
}

/** Renamed in, or copied (then renamed, so never seen half written) from another file system. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const partial = join(dirname(to), `.partial-${basename(to)}`);
    await copyFile(from, partial);
    await rename(partial, to);
  }
}

/**
 * A second name for a file that is written once (a finished segment): no bytes copied when
 * both are on one file system, a copy otherwise.
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENOSPC') throw error;
    await copyFile(from, to);
  }
}
