import http from 'http';
import https from 'https';
import { OutboundGuard } from '@confer/outbound';

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** The answer, or why there was none (timeout, refused, private address, …). */
export type SendResult = { status: number; retryAfter?: string } | { error: string };

/** At most this much of an answer is read; the rest is discarded with the connection. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one delivery. Redirects are not followed (a 3xx is a failure), the answer's
 * body is drained up to a bound, and the whole attempt is bounded by one timeout, so a
 * hanging, trickling or flooding receiver costs one slot for at most the timeout.
 * Addresses are checked at connection time by the outbound guard.
 */
export class WebhookSender {
  readonly #agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };

  constructor(private readonly guard: OutboundGuard) {}

  send(request: SendRequest): Promise<SendResult> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(request.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('unsupported scheme');
        this.guard.assertUrlAllowed(url);
      } catch (error) {
        return resolve({ error: error instanceof Error ? error.message : String(error) });
      }
      const transport = url.protocol === 'https:' ? https : http;
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        resolve(result);
      };
      const req = transport.request(url, {
        method: 'POST',
        agent: this.#agents[url.protocol as 'http:' | 'https:'],
        lookup: this.guard.lookup,
        timeout: request.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Confer-Webhooks/1.0',
          ...request.headers,
        },
      });
      const overall = setTimeout(() => {
        req.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
      }, request.timeoutMs);
      req.on('response', (res) => {
        let read = 0;
        const status = res.statusCode ?? 0;
        const retryAfter = res.headers['retry-after'];
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) {
            res.destroy();
            finish({ status, retryAfter });
          }
        });
        res.on('end', () => finish({ status, retryAfter }));
        res.on('error', () => finish({ status, retryAfter }));
        res.on('close', () => finish({ status, retryAfter }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }),
      );
      req.end(request.body);
    });
  }

  close(): void {
    this.#agents['http:'].destroy();
    this.#agents['https:'].destroy();
  }
}
