// SSRF guard: webhook URLs must not reach loopback, private, link-local, metadata or other
// non-public addresses. Checked when an endpoint is saved (resolving the host) and again when
// each request connects (the `lookup` below), so a DNS answer that changes after the check
// still cannot reach an internal address. Hosts in WEBHOOK_ALLOWED_HTTP_HOSTS are trusted:
// they may use plain http and any address (tests and in-house receivers).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
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
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['fd00:ec2::', 32],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook must never reach (IPv4-mapped IPv6 checked as IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL without IPv6 brackets, lower-case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Why the URL may not be used (scheme), or null. Addresses are checked by `resolveAllowed`. */
export function schemeProblem(url: URL, allowedHttpHosts: string[]): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && allowedHttpHosts.includes(hostOf(url))) return null;
  return 'must be an https URL (plain http only to hosts listed in WEBHOOK_ALLOWED_HTTP_HOSTS)';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses forbidden addresses unless the host is trusted:
 * the check and the connection use the same DNS answer.
 */
export function guardedLookup(allowedHttpHosts: string[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const trusted = allowedHttpHosts.includes(hostname.toLowerCase());
      const bad = addresses.find((a) => isForbiddenAddress(a.address));
      if (bad && !trusted) {
        const refused = Object.assign(new Error(`refused: ${hostname} resolves to a non-public address`), {
          code: 'EADDRNOTPUBLIC',
        });
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Resolves the URL's host; a message when it reaches a forbidden address (and is not trusted). */
export async function addressProblem(url: URL, allowedHttpHosts: string[]): Promise<string | null> {
  const host = hostOf(url);
  if (allowedHttpHosts.includes(host)) return null;
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve) =>
        dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found.map((a) => a.address))),
      );
  if (addresses.length === 0) return 'the host does not resolve';
  if (addresses.some(isForbiddenAddress))
    return 'resolves to a loopback, private, link-local or metadata address, which webhooks may not reach';
  return null;
}
