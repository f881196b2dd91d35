// The Host check: a DNS-rebinding page (its own name pointed at 127.0.0.1) gets 421, never the
// service's answer. Development and test answer loopback names only; production adds ALLOWED_HOSTS.
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { listen, testConfig } from '@hub/testkit';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, hostAllowlist, hostnameOf, isLoopbackHost } from '../src/index.ts';
import { appWith } from './support.ts';

const routes = new ApiRouter('demo')
  .get('/hello', { summary: 'a plain answer', responses: { 200: 'hello' } }, (_req: Request, res: Response) => {
    res.json({ hello: 'world' });
  })
  .get('/crash', { summary: 'a bug', responses: { 200: 'never' } }, () => {
    throw new Error('secret detail of a development stack');
  });
const development = appWith([['', routes]], { config: testConfig({}, { NODE_ENV: 'development' }) });
const production = (env: Record<string, string> = {}) =>
  appWith([['', routes]], { config: testConfig({}, { NODE_ENV: 'production', ...env }) });
const REBIND = 'rebind.attacker.example:3000';

function expectMisdirected(response: request.Response, name: string | undefined) {
  expect(response.status).toBe(421);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: 'urn:backend-hub:problem:misdirected-request',
    status: 421,
    detail: name ? expect.stringContaining(`The host ${name} is not served here`) : expect.stringContaining('without a valid Host'),
    requestId: response.headers['x-request-id'],
  });
  expect(response.body.detail).toContain('ALLOWED_HOSTS');
}

describe('in development, only loopback names are answered', () => {
  test('a rebinding page asking for the hub events gets 421 problem+json, not the events', async () => {
    await request(development).get('/hello');

    const response = await request(development).get('/__hub/events/recent').set('Host', REBIND);

    expectMisdirected(response, 'rebind.attacker.example');
    expect(response.body).not.toHaveProperty('items');
    expect(JSON.stringify(response.body)).not.toContain('/hello');
  });

  test('a rebinding page never reaches a route, so it never sees a development stack', async () => {
    const response = await request(development).get('/crash').set('Host', REBIND);

    expectMisdirected(response, 'rebind.attacker.example');
    expect(JSON.stringify(response.body)).not.toMatch(/secret detail|stack/);
  });

  test('the refusal still carries the pipeline headers: request id, security headers, Server-Timing naming the host check', async () => {
    const response = await request(development).get('/hello').set('Host', REBIND);

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['server-timing']).toContain('host;desc="failed here"');
  });

  test.each(['127.0.0.1:3000', 'localhost:3000', 'LOCALHOST', '[::1]:3000', 'localhost.:3000', '127.0.0.1'])(
    'Host %s (this machine) is answered',
    async (host) => {
      const response = await request(development).get('/hello').set('Host', host);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ hello: 'world' });
    },
  );

  test.each([
    '127.0.0.1.rebind.example',
    'localhost.attacker.example:3000',
    '127.0.0.2:3000',
    'evil.example/@localhost',
    'localhost:3000@evil',
  ])('Host %s is refused with 421', async (host) => {
    expect((await request(development).get('/hello').set('Host', host)).status).toBe(421);
  });

  test('a request without any Host header (HTTP/1.0) is refused', async () => {
    const running = await listen(development);
    try {
      const socket = connect(Number(new URL(running.url).port), '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.end('GET /hello HTTP/1.0\r\n\r\n');
      await once(socket, 'close');

      expect(received).toMatch(/^HTTP\/1\.1 421 /);
      expect(received).toContain('without a valid Host header');
    } finally {
      await running.close();
    }
  });

  test('ALLOWED_HOSTS adds names in development too (a container reached by its LAN name)', async () => {
    const app = appWith([['', routes]], { config: testConfig({}, { NODE_ENV: 'development', ALLOWED_HOSTS: 'devbox.lan' }) });

    expect((await request(app).get('/hello').set('Host', 'devbox.lan:3000')).status).toBe(200);
    expect((await request(app).get('/hello').set('Host', REBIND)).status).toBe(421);
  });
});

describe('in production, loopback names and ALLOWED_HOSTS are answered', () => {
  test('without ALLOWED_HOSTS it fails closed: a public name gets 421 naming ALLOWED_HOSTS, loopback is still answered', async () => {
    const app = production();

    expectMisdirected(await request(app).get('/hello').set('Host', 'api.example.com'), 'api.example.com');
    expect((await request(app).get('/hello').set('Host', '127.0.0.1:3000')).status).toBe(200);
  });

  test('with ALLOWED_HOSTS, the listed names are answered in any case and with any port; others get 421', async () => {
    const app = production({ ALLOWED_HOSTS: 'api.example.com,www.example.com' });

    expect((await request(app).get('/hello').set('Host', 'api.example.com')).status).toBe(200);
    expect((await request(app).get('/hello').set('Host', 'WWW.Example.com:443')).status).toBe(200);
    expect((await request(app).get('/hello').set('Host', 'api.example.com.attacker.example')).status).toBe(421);
    expect((await request(app).get('/hello').set('Host', REBIND)).status).toBe(421);
  });

  test('X-Forwarded-Host cannot stand in for the Host, even behind a trusted proxy', async () => {
    const app = production({ ALLOWED_HOSTS: 'api.example.com', TRUST_PROXY: '1' });

    const response = await request(app).get('/hello').set('Host', REBIND).set('X-Forwarded-Host', 'api.example.com');

    expect(response.status).toBe(421);
  });
});

describe('hostnameOf(), isLoopbackHost(), hostAllowlist()', () => {
  test('read the name out of a Host header, and nothing out of what is not one', () => {
    expect(hostnameOf('Api.Example.com.:8443')).toBe('api.example.com');
    expect(hostnameOf('[::1]:3000')).toBe('[::1]');
    expect(hostnameOf('a b')).toBeUndefined();
    expect(hostnameOf('')).toBeUndefined();
    expect(isLoopbackHost('localhost:4000')).toBe(true);
    expect(isLoopbackHost('evil.example:4000')).toBe(false);
    expect(hostAllowlist(['API.example.com'])('api.example.com:443')).toBe(true);
    expect(hostAllowlist([])(undefined)).toBe(false);
  });
});
