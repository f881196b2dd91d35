/*
 * Which Host a request may name. A page on another site cannot read this machine's services
 * directly (the browser's same-origin rule), but it can point its own name at 127.0.0.1 (DNS
 * rebinding): its requests then reach the service as same-origin, with the attacker's name in
 * the Host header. Answering only the names this service is meant to be reached by stops that.
 *
 * Plain functions without dependencies: the dev hub's own server imports this file alone.
 */

/** The names a browser on this machine uses for it; a rebinding page cannot make a browser send them. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

// A name or IPv4 address, or a bracketed IPv6 address, then an optional port: nothing else (no
// user info, no path, no spaces) is a Host a browser sends.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/** The host name of a Host header (`Api.Example.com.:443` → `api.example.com`), or undefined when it is not one. */
export function hostnameOf(host: string): string | undefined {
  const name = HOST_HEADER.exec(host)?.[1];
  return name?.toLowerCase().replace(/\.$/, '');
}

/** True for a Host header that names this machine: localhost, 127.0.0.1 or [::1], with any port. */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host);
  return name !== undefined && LOOPBACK_HOSTNAMES.includes(name);
}

/**
 * A check for Host headers: the loopback names, and the names in `allowed` (host names
 * without port, any case). A missing or malformed Host is refused.
 */
export function hostAllowlist(allowed: readonly string[]): (host: string | undefined) => boolean {
  const names = new Set([...LOOPBACK_HOSTNAMES, ...allowed.map((name) => name.toLowerCase().replace(/\.$/, ''))]);
  return (host) => {
    const name = host === undefined ? undefined : hostnameOf(host);
    return name !== undefined && names.has(name);
  };
}
