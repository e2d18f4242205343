import { createWriteStream } from 'fs';
import { open, readdir, readFile, rename, rm, stat, unlink } from 'fs/promises';
import { basename, dirname, join } from 'path';
import type { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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

export interface S3StorageOptions {
  bucket: string;
  /** Files larger than this go up in pieces of this size (S3 takes at most 5 GiB in one PUT). */
  multipartBytes?: number;
  /** Files of a part uploaded at once. */
  concurrency?: number;
}

const DEFAULT_MULTIPART_BYTES = 64 * 1024 * 1024;
/** One range only (what players send); anything else gets the whole file, as a local file would. */
const SINGLE_RANGE = /^bytes=(\d+-\d*|-\d+)$/;

/**
 * Parts kept in an S3-compatible object store, under `<key>/<name>`. Segments go up one by one
 * as they are recorded, the rest of a part when it completes, then its work directory is let
 * go; files are served through this service (the store needs no public access), ranges passed
 * on to the store.
 */
export class S3RecordingStorage extends RecordingStorage {
  private readonly bucket: string;
  private readonly multipartBytes: number;
  private readonly concurrency: number;

  constructor(
    private readonly client: S3Client,
    options: S3StorageOptions,
  ) {
    super();
    this.bucket = options.bucket;
    this.multipartBytes = options.multipartBytes ?? DEFAULT_MULTIPART_BYTES;
    this.concurrency = options.concurrency ?? 4;
  }

  async storePart(dir: string, key: string): Promise<number> {
    checkKey(key);
    // Segments kept as they were recorded are not sent again. A listing that fails sends them
    // all: the uploads then say what is wrong with the store.
    const kept = new Map((await this.listPart(key).catch(() => [])).map((f) => [f.name, f.size]));
    const files: { name: string; size: number }[] = [];
    let keptBytes = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const size = (await stat(join(dir, entry.name))).size;
      if (SEGMENT_NAME.test(entry.name) && kept.get(entry.name) === size) keptBytes += size;
      else files.push({ name: entry.name, size });
    }
    // The playlist last: a part whose playlist is in the store has every segment it names.
    files.sort((a, b) => Number(a.name === 'index.m3u8') - Number(b.name === 'index.m3u8'));
    const playlist = files.at(-1)?.name === 'index.m3u8' ? files.pop() : undefined;
    let next = 0;
    const worker = async () => {
      while (next < files.length) await this.upload(dir, key, files[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, files.length) }, worker));
    if (playlist) await this.upload(dir, key, playlist);
    await rm(dir, { recursive: true, force: true });
    return files.reduce((sum, f) => sum + f.size, keptBytes + (playlist?.size ?? 0));
  }

  async storeFile(key: string, name: string, source: FileSource): Promise<void> {
    checkKey(key);
    if ('path' in source) {
      const { size } = await stat(source.path);
      if (basename(source.path) === name) return this.upload(dirname(source.path), key, { name, size });
      throw new Error(`${source.path} is not ${name}`);
    }
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${key}/${name}`,
          ContentType: contentTypeOf(name),
          Body: source.text,
        }),
      );
    } catch (error) {
      throw new Error(`could not upload ${name} to the bucket ${this.bucket}: ${describe(error)}`);
    }
  }

  async listPart(key: string): Promise<StoredFile[]> {
    checkKey(key);
    const files: StoredFile[] = [];
    let token: string | undefined;
    do {
      const listed = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${key}/`, ContinuationToken: token }),
      );
      for (const o of listed.Contents ?? [])
        files.push({ name: o.Key!.slice(key.length + 1), size: Number(o.Size ?? 0) });
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    } while (token);
    return files.filter((f) => f.name && !f.name.includes('/'));
  }

  async fetchFile(key: string, name: string, path: string): Promise<void> {
    checkKey(key);
    const partial = join(dirname(path), `.partial-${basename(path)}`);
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${key}/${name}` }),
      );
      await pipeline(output.Body as Readable, createWriteStream(partial));
      await rename(partial, path);
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw new Error(`could not read ${name} from the bucket ${this.bucket}: ${describe(error)}`);
    }
  }

  async readText(key: string, name: string): Promise<string | null> {
    checkKey(key);
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${key}/${name}` }),
      );
      return (await output.Body?.transformToString('utf8')) ?? null;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async serve(key: string, name: string, request: Request, response: Response): Promise<void> {
    if (!PART_FILE.test(name)) throw RecordingErrors.fileNotFound({ name });
    checkKey(key);
    const range = request.headers.range;
    const params = {
      Bucket: this.bucket,
      Key: `${key}/${name}`,
      Range: range && SINGLE_RANGE.test(range) ? range : undefined,
      IfNoneMatch: request.headers['if-none-match'],
    };
    const head = request.method === 'HEAD';
    let output;
    try {
      output = await this.client.send(head ? new HeadObjectCommand(params) : new GetObjectCommand(params));
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) throw RecordingErrors.fileNotFound({ name });
      if (status === 304) return void response.status(304).end();
      if (status === 416) {
        const size = await this.sizeOf(params.Key);
        return void response.status(416).setHeader('content-range', `bytes */${size}`).end();
      }
      throw error;
    }
    response.status(output.ContentRange ? 206 : 200);
    response.setHeader('content-type', contentTypeOf(name));
    response.setHeader('accept-ranges', 'bytes');
    if (output.ContentLength !== undefined)
      response.setHeader('content-length', String(output.ContentLength));
    if (output.ContentRange) response.setHeader('content-range', output.ContentRange);
    if (output.ETag) response.setHeader('etag', output.ETag);
    if (output.LastModified) response.setHeader('last-modified', output.LastModified.toUTCString());
    const body = 'Body' in output ? (output.Body as Readable | undefined) : undefined;
    if (!body) return void response.end();
    try {
      await pipeline(body, response);
    } catch {
      // The client hung up mid-file (or the store broke off): nothing more to answer.
      body.destroy();
    }
  }

  async deletePart(key: string): Promise<void> {
    checkKey(key);
    let token: string | undefined;
    do {
      const listed = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${key}/`, ContinuationToken: token }),
      );
      const objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (objects.length > 0) {
        const deleted = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }),
        );
        const failed = deleted.Errors ?? [];
        if (failed.length > 0)
          throw new Error(
            `could not delete ${failed.length} objects of ${key}: ${failed[0].Code} ${failed[0].Message}`,
          );
      }
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    } while (token);
  }

  private async upload(dir: string, key: string, file: { name: string; size: number }): Promise<void> {
    const target = { Bucket: this.bucket, Key: `${key}/${file.name}`, ContentType: contentTypeOf(file.name) };
    try {
      if (file.size <= this.multipartBytes) {
        await this.client.send(
          new PutObjectCommand({ ...target, Body: await readFile(join(dir, file.name)) }),
        );
      } else {
        await this.uploadInPieces(join(dir, file.name), file.size, target);
      }
    } catch (error) {
      throw new Error(`could not upload ${file.name} to the bucket ${this.bucket}: ${describe(error)}`);
    }
  }

  /** A large file (a long part's MP4) in pieces, read one at a time so memory stays bounded. */
  private async uploadInPieces(
    path: string,
    size: number,
    target: { Bucket: string; Key: string; ContentType: string },
  ): Promise<void> {
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    const { Bucket, Key } = target;
    const handle = await open(path, 'r');
    try {
      const parts: { ETag?: string; PartNumber: number }[] = [];
      for (let offset = 0, n = 1; offset < size; offset += this.multipartBytes, n++) {
        const piece = Buffer.alloc(Math.min(this.multipartBytes, size - offset));
        await handle.read(piece, 0, piece.length, offset);
        const { ETag } = await this.client.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: n, Body: piece }),
        );
        parts.push({ ETag, PartNumber: n });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))
        .catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
  }

  private async sizeOf(objectKey: string): Promise<string> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    return String(head.ContentLength ?? '*');
  }
}

function checkKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`bad storage key ${key}`);
}

/** The HTTP status of an S3 error (the SDK's `$metadata`), if it came from the store. */
function statusOf(error: unknown): number | undefined {
  const e = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  if (e?.name === 'NoSuchKey' || e?.name === 'NotFound') return 404;
  return e?.$metadata?.httpStatusCode;
}

/** An S3 error as a person reads it: its code and message (`NoSuchBucket: The specified bucket does not exist`). */
function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; Code?: string };
  const code = e?.Code ?? e?.name;
  const message = e?.message || String(error);
  return code && code !== 'Error' && !message.startsWith(code) ? `${code}: ${message}` : message;
}
