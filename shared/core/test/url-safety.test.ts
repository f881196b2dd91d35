import { describe, expect, test } from '@jest/globals';
import { checkUrl, isPublicAddress, type Resolve } from '../src/url-safety.ts';

/** A resolver that knows a few names, as DNS would answer them, and fails for every other. */
const NAMES: Record<string, string[]> = {
  'example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'metadata.evil.example': ['169.254.169.254'],
  'mixed.evil.example': ['93.184.215.14', '10.0.0.5'],
  'internal.corp.example': ['192.168.1.20'],
  'v6-private.example': ['fd12:3456::1'],
  'empty.example': [],
};
const resolve: Resolve = async (hostname) => {
  const addresses = NAMES[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const check = (url: string, ownHosts: string[] = ['sho.rt', 'localhost']) => checkUrl(url, { resolve, ownHosts });

describe('isPublicAddress()', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback, anywhere in 127/8'],
    ['0.0.0.0', 'this host'],
    ['10.1.2.3', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12, its end'],
    ['192.168.0.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local: the cloud metadata endpoint'],
    ['100.64.0.1', 'CGNAT shared space'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd00:ec2::254', 'IPv6 unique local (the AWS IPv6 metadata address)'],
    ['fe80::1', 'IPv6 link-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:8.8.8.8', 'IPv4-mapped, even of a public address'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['not-an-ip', 'not an address at all'],
  ])('%s (%s) is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkUrl()', () => {
  test('a public https URL is safe, and comes back parsed', async () => {
    const verdict = await check('https://example.com/some/path?q=1');

    expect(verdict).toEqual({ safe: true, url: new URL('https://example.com/some/path?q=1') });
  });

  test.each([
    ['ftp://example.com/file', /must use http or https/],
    ['javascript:alert(1)', /must use http or https/],
    ['data:text/html,<script>alert(1)</script>', /must use http or https/],
    ['file:///etc/passwd', /must use http or https/],
    ['not a url', /must be an absolute URL/],
    ['/relative/path', /must be an absolute URL/],
    ['https://user:secret@example.com/', /user name or password/],
    ['https://paypal.com@example.com/', /user name or password/],
    [`https://example.com/${'a'.repeat(2048)}`, /at most 2048 characters/],
    ['http://sho.rt/abc', /point back at this service/],
    ['http://SHO.RT./abc', /point back at this service/],
    ['http://localhost:3403/links', /point back at this service/],
    ['http://127.0.0.1/', /public address \(127\.0\.0\.1/],
    ['http://2130706433/', /public address \(127\.0\.0\.1/],
    ['http://0x7f.1/', /public address \(127\.0\.0\.1/],
    ['http://0.0.0.0/', /public address/],
    ['http://[::1]/', /public address/],
    ['http://[::ffff:127.0.0.1]/', /public address/],
    ['http://169.254.169.254/latest/meta-data/', /public address \(169\.254\.169\.254/],
    ['http://metadata.evil.example/', /metadata\.evil\.example is 169\.254\.169\.254/],
    ['http://internal.corp.example/', /public address/],
    ['http://mixed.evil.example/', /is 10\.0\.0\.5/],
    ['http://v6-private.example/', /is fd12:3456::1/],
    ['http://nowhere.invalid/', /does not resolve \(nowhere\.invalid\)/],
    ['http://empty.example/', /does not resolve/],
  ])('%s is refused: %s', async (url, reason) => {
    const verdict = await check(url);

    expect(verdict.safe).toBe(false);
    expect(verdict.safe ? '' : verdict.reason).toMatch(reason);
  });

  test('a host whose resolver never answers is refused after timeoutMs, as one that does not resolve', async () => {
    const never: Resolve = () => new Promise(() => {});

    const verdict = await checkUrl('https://slow.example/', { resolve: never, timeoutMs: 20 });

    expect(verdict).toEqual({ safe: false, reason: 'has a host that does not resolve (slow.example)' });
  });

  test('the length limit and the schemes are options', async () => {
    expect(await checkUrl('https://example.com/long', { resolve, maxLength: 10 })).toEqual({
      safe: false,
      reason: 'must be at most 10 characters',
    });
    expect((await checkUrl('ftp://example.com/', { resolve, schemes: ['ftp:'] })).safe).toBe(true);
  });
});
