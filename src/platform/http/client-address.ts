// Who is asking, as far as the network tells: the client address a request's rate limits are
// kept under (a STOREFRONT visitor's bucket, the bucket of requests without a valid key).
//
// The address is the socket's peer, or, behind proxies, the entry of `X-Forwarded-For` that the
// outermost trusted proxy saw: TRUSTED_PROXY_HOPS proxies are trusted, counted from this server
// (proxy-addr, as Express does with `trust proxy = n`). Entries further left are whatever the
// caller wrote and are never used. With 0 hops the header is ignored.
//
// Buckets are kept per address, but an IPv6 host usually holds a whole /64 and can change its
// address at will, so IPv6 addresses count by their /64 prefix; IPv4-mapped IPv6 addresses
// count as the IPv4 address. Without a socket (app.fetch in tests, with no server context)
// the address is `unknown`.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** The part of yoga's server context read here: node:http's request (tests may pass a stand-in). */
export interface AddressContext {
  req?: { socket?: { remoteAddress?: string } };
}

export const UNKNOWN_ADDRESS = 'unknown';

/** The bucket name of an address: IPv4 as is, IPv6 as its /64, anything unparsable `unknown`. */
export function addressBucket(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return UNKNOWN_ADDRESS;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 → IPv4
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

/** The client's address bucket for a request, trusting `trustedHops` proxies in front of this server. */
export function clientAddress(serverContext: unknown, headers: Headers, trustedHops: number): string {
  const socketAddress = (serverContext as AddressContext | undefined)?.req?.socket?.remoteAddress;
  if (trustedHops === 0) return addressBucket(socketAddress);
  const forwardedFor = headers.get('x-forwarded-for');
  const req = {
    headers: forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress: socketAddress },
  } as unknown as IncomingMessage;
  return addressBucket(proxyaddr(req, (_address, hop) => hop < trustedHops));
}
