import { constants } from 'fs';
import { access, cp, mkdir, readdir, readFile, rename, rm, stat } from 'fs/promises';
import { join } from 'path';
import type { Request, Response } from 'express';
import { RecordingErrors } from '../recording.errors';
import { contentTypeOf, PART_FILE, RecordingStorage } from './recording-storage.port';

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
      await rm(target, { recursive: true, force: true });
      try {
        await rename(dir, target);
      } catch (error) {
        // Another file system: copy, then let go of the work copy.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await cp(dir, target, { recursive: true });
        await rm(dir, { recursive: true, force: true });
      }
    }
    let bytes = 0;
    for (const name of await readdir(target)) bytes += (await stat(join(target, name))).size;
    return bytes;
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
