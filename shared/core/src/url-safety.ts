/*
 * Is this URL safe to send people (or our own fetchers) to? A service that stores URLs given by
 * clients and later redirects to them, previews or fetches them must not become a way to reach
 * what only it can reach: its own loopback, the private network behind it, the cloud metadata
 * endpoint (169.254.169.254). Checking the name is not enough (`metadata.evil.example` can
 * resolve to 169.254.169.254, `0x7f.1` is 127.0.0.1), so the host is resolved, and every address
 * it resolves to must be a public one.
 *
 * A check at creation time does not stop DNS rebinding (the name can resolve elsewhere later):
 * code that fetches a stored URL must check the address it actually connects to.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A resolver like `dns.lookup(host, { all: true })`; tests pass their own. */
export type Resolve = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

export const MAX_URL_LENGTH = 2048;

export interface UrlSafetyOptions {
  /** The schemes allowed, with their colon (default http: and https:). */
  schemes?: readonly string[];
  /** The longest URL accepted, in characters (default 2048). */
  maxLength?: number;
  /** Host names the service itself answers to: a URL pointing back at it is refused. */
  ownHosts?: readonly string[];
  resolve?: Resolve;
  /** How long the host may take to resolve before it counts as not resolving (default 3000 ms). */
  timeoutMs?: number;
}

export type UrlVerdict = { safe: true; url: URL } | { safe: false; reason: string };

// Addresses no public URL needs to reach: this host, private networks, link-local (cloud
// metadata), shared address space (CGNAT), documentation and benchmark ranges, multicast, reserved.
// One list per family: a BlockList matches an IPv4 address against IPv4-mapped IPv6 rules too.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blockedV4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: judged as IPv4 would be, so refused outright
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  blockedV6.addSubnet(network, prefix, 'ipv6');

/** True when `address` (an IPv4 or IPv6 literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !blockedV4.check(address, 'ipv4') : !blockedV6.check(address, 'ipv6');
}

const normalHost = (host: string) => host.toLowerCase().replace(/\.$/, '');

/**
 * Checks a URL a client gave: its length, scheme, no credentials in it, not one of the
 * service's own host names, and every address its host resolves to public. The reason says
 * what is wrong, in a sentence a client can act on.
 */
export async function checkUrl(raw: string, options: UrlSafetyOptions = {}): Promise<UrlVerdict> {
  const { schemes = ['http:', 'https:'], maxLength = MAX_URL_LENGTH, ownHosts = [], resolve = systemResolve, timeoutMs = 3000 } = options;
  const refuse = (reason: string): UrlVerdict => ({ safe: false, reason });
  if (raw.length > maxLength) return refuse(`must be at most ${maxLength} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('must be an absolute URL');
  }
  if (!schemes.includes(url.protocol)) return refuse(`must use ${schemes.map((scheme) => scheme.slice(0, -1)).join(' or ')}`);
  if (url.username || url.password) return refuse('must not contain a user name or password');
  // The URL parser has already turned 0x7f.1, 2130706433 and friends into dotted IPv4.
  const host = normalHost(url.hostname.replace(/^\[|\]$/g, ''));
  if (!host) return refuse('must name a host');
  if (ownHosts.some((own) => normalHost(own.replace(/^\[|\]$/g, '')) === host)) return refuse('must not point back at this service');
  let addresses: ReadonlyArray<{ address: string }>;
  try {
    addresses = isIP(host) ? [{ address: host }] : await withTimeout(resolve(host), timeoutMs);
  } catch {
    return refuse(`has a host that does not resolve (${host})`);
  }
  if (addresses.length === 0) return refuse(`has a host that does not resolve (${host})`);
  const internal = addresses.find(({ address }) => !isPublicAddress(address));
  if (internal) return refuse(`must point to a public address (${host} is ${internal.address})`);
  return { safe: true, url };
}

/** `promise`, or a rejection after `ms`: a resolver that never answers must not hold the request. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
