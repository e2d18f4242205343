import { Inject, Injectable, Logger } from '@nestjs/common';
import http from 'http';
import https from 'https';
import { ROOMS_CONFIG, RoomsConfig } from '../../config/rooms.config';
import { OutboundGuard } from '@confer/outbound';

export type AccessCheckAnswer =
  | { outcome: 'admit'; replaceExisting: boolean }
  | { outcome: 'refuse'; status: number }
  | { outcome: 'unavailable'; cause: string };

export interface AccessCheckRequest {
  url: string;
  authorization?: string;
  body: { accessToken?: string; roomId: string; peerId: string };
}

export const OUTBOUND_GUARD = Symbol('OUTBOUND_GUARD');

/**
 * Asks the integrator's access-check URL whether a peer may enter (Gcore's
 * "Authentication of participants"). Bounded by a timeout; redirects are not
 * followed; the answer is its status code alone.
 */
@Injectable()
export class AccessCheckClient {
  readonly #logger = new Logger(AccessCheckClient.name);

  constructor(
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
    @Inject(OUTBOUND_GUARD) private readonly guard: OutboundGuard,
  ) {}

  async check(request: AccessCheckRequest): Promise<AccessCheckAnswer> {
    let status: number;
    try {
      // post() may throw synchronously (a refused address): keep it inside the try.
      status = await Promise.resolve().then(() => this.post(request));
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      this.#logger.warn({
        msg: 'access check failed',
        roomId: request.body.roomId,
        peerId: request.body.peerId,
        cause,
      });
      return { outcome: 'unavailable', cause };
    }
    if (status === 200) return { outcome: 'admit', replaceExisting: false };
    if (status === 409) return { outcome: 'admit', replaceExisting: true };
    if ([400, 401, 403, 404, 423, 425].includes(status)) return { outcome: 'refuse', status };
    return { outcome: 'unavailable', cause: `the access check answered ${status}` };
  }

  private post(request: AccessCheckRequest): Promise<number> {
    const url = new URL(request.url);
    this.guard.assertUrlAllowed(url);
    const body = JSON.stringify(request.body);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          lookup: this.guard.lookup,
          timeout: this.config.ACCESS_CHECK_TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(request.authorization ? { authorization: request.authorization } : {}),
          },
        },
        (res) => {
          // Only the status matters; drain (at most a little) and move on.
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // The socket timeout covers a silent server; the overall one a trickling server.
      const overall = setTimeout(
        () => req.destroy(new Error('the access check timed out')),
        this.config.ACCESS_CHECK_TIMEOUT_MS,
      );
      req.on('timeout', () => req.destroy(new Error('the access check timed out')));
      req.on('error', (error) => {
        clearTimeout(overall);
        reject(error);
      });
      req.on('close', () => clearTimeout(overall));
      req.end(body);
    });
  }
}
