import { once } from 'node:events';
import { get } from 'node:http';
import { connect, createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => socket.end('hello from loopback\n')).listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** What a TCP connection attempt ends with: the first bytes read, or the error. */
function attempt(socket: Socket): Promise<{ data?: string; error?: NodeJS.ErrnoException; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    socket.once('data', (data) => {
      socket.destroy();
      resolve({ data: data.toString(), ms: Date.now() - started });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error, ms: Date.now() - started }));
  });
}

describe('outbound network block (setup/block-network.cjs)', () => {
  test.each([
    ['an options object', () => connect({ host: '203.0.113.1', port: 80 }), '203.0.113.1'],
    ['(port, host)', () => connect(443, '203.0.113.1'), '203.0.113.1'],
    ['a hostname (refused before any DNS lookup)', () => connect({ host: 'example.com', port: 80 }), 'example.com'],
    ['an IPv6 address', () => connect({ host: '2001:db8::1', port: 80 }), '2001:db8::1'],
    ['a Socket built by hand', () => new Socket().connect({ host: '198.51.100.7', port: 25 }), '198.51.100.7'],
  ])('a connection to a non-loopback host via %s fails fast with ENETUNREACH and a clear message', async (_case, open, host) => {
    const { error, data, ms } = await attempt(open());

    expect(data).toBeUndefined();
    expect(error?.code).toBe('ENETUNREACH');
    expect(error?.message).toBe(`Outbound network is blocked in tests (tried ${host})`);
    expect(ms).toBeLessThan(500);
  });

  test('fetch() to the outside world fails fast with the same cause', async () => {
    const started = Date.now();

    const error = await fetch('http://203.0.113.1/').then(
      () => undefined,
      (failure: Error) => failure,
    );

    expect((error?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ENETUNREACH');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('http.get() to the outside world fails fast too', async () => {
    const request = get('http://203.0.113.1/');
    const [error] = (await once(request, 'error')) as [NodeJS.ErrnoException];

    expect(error.code).toBe('ENETUNREACH');
  });

  test.each([
    ['127.0.0.1', () => connect({ host: '127.0.0.1', port })],
    ['(port, host) on 127.0.0.1', () => connect(port, '127.0.0.1')],
    ['localhost', () => connect({ host: 'localhost', port, family: 4 })],
  ])('loopback (%s) still works', async (_case, open) => {
    const { data, error } = await attempt(open());

    expect(error).toBeUndefined();
    expect(data).toBe('hello from loopback\n');
  });

  test('marks net.Socket as patched, so a second run of the setup file does not wrap connect twice', () => {
    expect((Socket.prototype as unknown as Record<symbol, unknown>)[Symbol.for('backend-hub.outbound-network-blocked')]).toBe(true);
  });
});
