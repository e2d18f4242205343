import { lookup as dnsLookup, LookupAddress } from 'dns';
import { BlockList, isIP } from 'net';

/**
 * Refuses outbound calls into private, loopback and link-local networks (the URL
 * comes from a room link anyone can edit: without this, a joiner could make us call
 * our own internal services). Checked at connection time on the resolved address,
 * so DNS rebinding cannot slip past a check made earlier.
 */
export class OutboundGuard {
  readonly #blocked = new BlockList();
  readonly #allowedHosts: Set<string>;
  readonly #allowedNets = new BlockList();

  /** `allowed`: host names, IP addresses or CIDR ranges an operator trusts even if private. */
  constructor(allowed: readonly string[]) {
    for (const [net, prefix] of [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['224.0.0.0', 3],
    ] as const) {
      this.#blocked.addSubnet(net, prefix, 'ipv4');
    }
    for (const [net, prefix] of [
      ['::', 128],
      ['::1', 128],
      ['fc00::', 7],
      ['fe80::', 10],
      ['ff00::', 8],
    ] as const) {
      this.#blocked.addSubnet(net, prefix, 'ipv6');
    }
    this.#allowedHosts = new Set();
    for (const entry of allowed.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      if (family && prefix !== undefined)
        this.#allowedNets.addSubnet(address, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
      else if (family) this.#allowedNets.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
      else this.#allowedHosts.add(entry);
    }
  }

  /** Whether connecting to `address` (resolved from `host`) is allowed. */
  allows(host: string, address: string): boolean {
    if (this.#allowedHosts.has(host.toLowerCase())) return true;
    const unmapped =
      address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(unmapped) === 4 ? 'ipv4' : 'ipv6';
    if (this.#allowedNets.check(unmapped, family)) return true;
    return !this.#blocked.check(unmapped, family);
  }

  /**
   * Throws when `url` names a forbidden IP address outright. Node connects to IP
   * literals without calling `lookup`, so they must be checked here, before any
   * connection; host names are checked by `lookup` once resolved.
   */
  assertUrlAllowed(url: URL): void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.allows(host, host)) {
      const refused: NodeJS.ErrnoException = new Error(`${host} is a private address`);
      refused.code = 'EPRIVATEADDRESS';
      throw refused;
    }
  }

  /** A `lookup` for http.request that resolves, then refuses a forbidden address. */
  readonly lookup = (
    hostname: string,
    options: object,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: false }, (error, address, family) => {
      if (error) return callback(error, '', 0);
      if (!this.allows(hostname, address)) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${address}, a private address`,
        );
        refused.code = 'EPRIVATEADDRESS';
        return callback(refused, '', 0);
      }
      callback(null, address, family);
    });
  };
}
