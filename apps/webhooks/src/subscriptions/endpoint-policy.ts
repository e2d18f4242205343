import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'dns/promises';
import { isIP } from 'net';
import { OutboundGuard } from '@confer/outbound';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { WebhookErrors } from '../webhooks.errors';

export const OUTBOUND_GUARD = Symbol('OUTBOUND_GUARD');

/**
 * Checks an endpoint when it is subscribed: absolute https URL (http by configuration),
 * no credentials in it, and a host that resolves to public addresses only unless the
 * operator allow-lists it. The sender checks again at connection time (DNS rebinding).
 */
@Injectable()
export class EndpointPolicy {
  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(OUTBOUND_GUARD) private readonly guard: OutboundGuard,
  ) {}

  async assertAllowed(endpoint: unknown, field: string): Promise<string> {
    if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > 2048)
      throw WebhookErrors.invalidEndpoint({ field }, { message: `${field} must be a URL` });
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw WebhookErrors.invalidEndpoint({ field }, { message: `${field} is not a valid URL` });
    }
    const schemes = this.config.WEBHOOKS_ALLOW_HTTP ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol))
      throw WebhookErrors.invalidEndpoint(
        { field },
        { message: `${field} must use ${this.config.WEBHOOKS_ALLOW_HTTP ? 'http or https' : 'https'}` },
      );
    if (url.username || url.password)
      throw WebhookErrors.invalidEndpoint({ field }, { message: `${field} must not carry credentials` });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [host]
      : await lookup(host, { all: true }).then(
          (found) => found.map((a) => a.address),
          () => [] as string[],
        );
    if (addresses.length === 0)
      throw WebhookErrors.invalidEndpoint({ field }, { message: `${field}: ${host} does not resolve` });
    if (addresses.some((address) => !this.guard.allows(host, address)))
      throw WebhookErrors.endpointRefused({ field, host });
    return url.toString();
  }
}
