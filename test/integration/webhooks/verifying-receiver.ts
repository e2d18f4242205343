import { createHash } from 'crypto';
import { createServer, Server } from 'http';
import { createLocalJWKSet, JWTVerifyGetKey, jwtVerify } from 'jose';

export interface VerifiedDelivery {
  path: string;
  eventId: string;
  roomId: string | undefined;
  sequence: number;
  attempt: number;
  at: number;
}

/**
 * A receiver on 127.0.0.1 that checks every delivery as docs/webhooks.md tells integrators
 * to: the RS256 token against the platform's JWKS (fetched once), its audience and issuer,
 * the body's SHA-256 and the event id. A delivery that fails a check is answered 401 and
 * counted, never recorded.
 */
export class VerifyingReceiver {
  readonly deliveries: VerifiedDelivery[] = [];
  readonly rejected: string[] = [];
  /** Answer 200 (default) or something else for every verified delivery. */
  status = 200;
  /** Wait this long between recording a delivery and answering it (a receiver's work). */
  delayMs = 0;
  url = '';
  #server!: Server;

  private constructor(
    private readonly jwks: JWTVerifyGetKey,
    private readonly issuer: string,
  ) {}

  static async open(authBaseUrl: string, issuer: string): Promise<VerifyingReceiver> {
    const keys = (await (await fetch(`${authBaseUrl}/.well-known/jwks.json`)).json()) as Parameters<
      typeof createLocalJWKSet
    >[0];
    const receiver = new VerifyingReceiver(createLocalJWKSet(keys), issuer);
    receiver.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        receiver.verify(req.url ?? '', req.headers, body).then(
          (delivery) => {
            receiver.deliveries.push(delivery);
            setTimeout(() => {
              res.statusCode = receiver.status;
              res.end();
            }, receiver.delayMs);
          },
          (error: unknown) => {
            receiver.rejected.push(String(error));
            res.statusCode = 401;
            res.end();
          },
        );
      });
    });
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    const address = receiver.#server.address();
    receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return receiver;
  }

  private async verify(
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): Promise<VerifiedDelivery> {
    const { payload } = await jwtVerify(String(headers.authorization), this.jwks, {
      algorithms: ['RS256'],
      audience: 'confer:webhook',
      issuer: this.issuer,
    });
    if (payload.gty !== 'client-credentials') throw new Error('not a webhook token');
    if (payload.body_sha256 !== createHash('sha256').update(body).digest('base64url'))
      throw new Error('the body is not the one signed');
    const event = JSON.parse(body.toString('utf8')) as { id: string; roomid?: string };
    if (event.id !== payload.event_id || headers['confer-event-id'] !== event.id)
      throw new Error('event id mismatch');
    return {
      path,
      eventId: event.id,
      roomId: event.roomid,
      sequence: Number(headers['confer-sequence']),
      attempt: Number(headers['confer-attempt']),
      at: Date.now(),
    };
  }

  /** Deliveries to one path, in arrival order. */
  at(path: string): VerifiedDelivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
