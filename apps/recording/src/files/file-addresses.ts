import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';

/** Where a part's files are served: `/v1/recording-files/<file id>/<name>`. */
export const FILES_PATH = 'v1/recording-files';

/**
 * Builds file addresses, signed when the organisation asks for it: `expires` (epoch seconds)
 * and an HMAC over the part's file id and that time, valid for every file of the part (an HLS
 * player fetches segments named relative to the playlist, which is served with the same
 * signature added to each).
 */
@Injectable()
export class FileAddresses {
  private readonly key: Buffer;
  private readonly base: string;

  constructor(@Inject(RECORDING_CONFIG) private readonly config: RecordingConfig) {
    // Without a configured key, addresses signed by this process stop working when it restarts.
    this.key = config.RECORDING_URL_SIGNING_KEY
      ? Buffer.from(config.RECORDING_URL_SIGNING_KEY, 'base64')
      : randomBytes(32);
    this.base = config.PUBLIC_URL.replace(/\/+$/, '');
  }

  /** The public base URL's host (Gcore's `origin_host`). */
  get host(): string {
    return new URL(this.base).host;
  }

  /** The path without the leading slash (Gcore's `origin_resource`), with its query when signed. */
  resource(fileId: string, name: string, signed: boolean, now = Date.now()): string {
    return `${FILES_PATH}/${fileId}/${name}${signed ? `?${this.signature(fileId, now)}` : ''}`;
  }

  url(fileId: string, name: string, signed: boolean, now = Date.now()): string {
    return `${this.base}/${this.resource(fileId, name, signed, now)}`;
  }

  /** The query of a signed address; `extraSeconds` lengthens its validity (a playlist's segments). */
  signature(fileId: string, now = Date.now(), extraSeconds = 0): string {
    const expires =
      Math.floor(now / 1000) + this.config.RECORDING_SIGNED_URL_SECONDS + Math.ceil(extraSeconds);
    return `expires=${expires}&signature=${this.sign(fileId, expires)}`;
  }

  /** Whether a request's `expires` and `signature` are ours and unexpired. */
  verify(fileId: string, expires: unknown, signature: unknown, now = Date.now()): boolean {
    if (typeof expires !== 'string' || typeof signature !== 'string' || !/^[0-9]{1,12}$/.test(expires))
      return false;
    if (Number(expires) * 1000 < now) return false;
    const expected = Buffer.from(this.sign(fileId, Number(expires)));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${fileId}.${expires}`).digest('base64url');
  }
}
