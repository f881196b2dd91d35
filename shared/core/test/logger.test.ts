import { afterEach, describe, expect, test } from '@jest/globals';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, logger, redact, REDACTED } from '../src/index.ts';
import { isSecretKey } from '../src/secrets.ts';
import { appWith, captureLogs } from './support.ts';

describe('isSecretKey()', () => {
  test.each([
    'password',
    'passwordHash',
    'JWT_SECRET',
    'SMTP_PASS',
    'authorization',
    'Authorization',
    'set-cookie',
    'x-api-key',
    'apiKey',
    'refreshToken',
    'access_token',
    'sessionId',
    'session',
    'client_secret',
    'x-logs-key',
  ])('%s is a secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  test.each(['passport', 'monkey', 'sessionCount', 'keyboard', 'name', 'email', 'status'])('%s is not', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('redact()', () => {
  test('replaces secret-looking keys at any depth and inside arrays, keeping everything else', () => {
    const input = {
      user: { name: 'ada', password: 'p4ss', profile: { apiKey: 'k-123', city: 'London' } },
      headers: { Authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', accept: 'application/json' },
      devices: [
        { id: 1, refreshToken: 'r-1' },
        { id: 2, client_secret: 's-2' },
      ],
      tags: ['a', 'b'],
    };

    expect(redact(input)).toEqual({
      user: { name: 'ada', password: REDACTED, profile: { apiKey: REDACTED, city: 'London' } },
      headers: { Authorization: REDACTED, cookie: REDACTED, accept: 'application/json' },
      devices: [
        { id: 1, refreshToken: REDACTED },
        { id: 2, client_secret: REDACTED },
      ],
      tags: ['a', 'b'],
    });
    expect(input.user.password).toBe('p4ss');
  });

  test('redacts inside arrays of objects under an innocent key', () => {
    expect(redact({ items: [{ token: 't' }, { x_api_key: 'k', n: 1 }] })).toEqual({
      items: [{ token: REDACTED }, { x_api_key: REDACTED, n: 1 }],
    });
  });

  test('marks a circular reference instead of recursing forever', () => {
    const node: Record<string, unknown> = { name: 'loop', secret: 's' };
    node.self = node;

    expect(redact(node)).toEqual({ name: 'loop', secret: REDACTED, self: '[Circular]' });
  });

  test('an object referenced twice (not a cycle) is kept both times', () => {
    const shared = { id: 7 };

    expect(redact({ before: shared, after: shared })).toEqual({ before: { id: 7 }, after: { id: 7 } });
  });

  test('leaves primitives, dates and null alone', () => {
    const when = new Date('2026-01-01T00:00:00Z');

    expect(redact('text')).toBe('text');
    expect(redact(null)).toBeNull();
    expect(redact({ when })).toEqual({ when });
  });
});

describe('the logger', () => {
  let logs: ReturnType<typeof captureLogs> | undefined;
  afterEach(() => logs?.restore());

  test('in production, writes JSON lines and redacts an authorization meta key and nested secrets', async () => {
    logs = captureLogs('production', 'info');

    logger.info('calling the payments API', { authorization: 'Bearer live-abc', request: { password: 'hunter2', amount: 12 } });
    await logs.waitFor(1);

    const [line] = logs.json();
    expect(line).toMatchObject({
      level: 'info',
      message: 'calling the payments API',
      authorization: REDACTED,
      request: { password: REDACTED, amount: 12 },
    });
    expect(typeof line?.timestamp).toBe('string');
    expect(logs.lines.join('\n')).not.toContain('live-abc');
    expect(logs.lines.join('\n')).not.toContain('hunter2');
  });

  test('in development, writes a pretty line, with the same redaction', async () => {
    logs = captureLogs('development', 'info');

    logger.warn('retrying', { cookie: 'sid=secret-session', attempt: 2 });
    await logs.waitFor(1);

    const [line = ''] = logs.lines;
    expect(line).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} .*warn.* retrying \{"cookie":"\[REDACTED\]","attempt":2\}$/);
    expect(line).not.toContain('secret-session');
  });

  test('logs an error with its message and stack, not as an empty object', async () => {
    logs = captureLogs('production', 'error');

    logger.error('Shutdown failed', { error: new Error('the queue would not close') });
    await logs.waitFor(1);

    expect(logs.lines[0]).toContain('the queue would not close');
  });

  test('respects the level: debug lines are dropped at info', async () => {
    logs = captureLogs('production', 'info');

    logger.debug('noise');
    logger.info('signal');
    await logs.waitFor(1);

    expect(logs.json().map(({ message }) => message)).toEqual(['signal']);
  });

  test("lines written while serving a request carry that request's id (AsyncLocalStorage), the request line too", async () => {
    logs = captureLogs('production', 'http');
    const routes = new ApiRouter().get('/logged', { summary: 'logs', responses: { 200: 'ok' } }, async (_req: Request, res: Response) => {
      await new Promise((done) => setTimeout(done, 5));
      logger.info('inside the handler');
      res.json({ ok: true });
    });
    const app = appWith([['', routes]]);

    const [first, second] = await Promise.all([request(app).get('/logged'), request(app).get('/logged').set('X-Request-Id', 'second-one')]);
    await logs.waitFor(4);

    const lines = logs.json();
    const idsOf = (message: RegExp) =>
      lines
        .filter((line) => message.test(String(line.message)))
        .map((line) => line.requestId)
        .sort();
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']].sort();
    expect(second.headers['x-request-id']).toBe('second-one');
    expect(idsOf(/^inside the handler$/)).toEqual(ids);
    expect(idsOf(/^GET \/logged 200 /)).toEqual(ids);
  });

  test('a request refused by body parsing gets its request line too, saying where and why it failed', async () => {
    logs = captureLogs('production', 'http');

    const response = await request(appWith([])).post('/anything').set('Content-Type', 'application/json').send('{"broken":');
    await logs.waitFor(1);

    const [line] = logs.json();
    expect(line?.message).toMatch(/^POST \/anything 400 [\d.]+ms ✗ parse {2}The request body is not valid JSON\.$/);
    expect(line?.requestId).toBe(response.headers['x-request-id']);
  });

  test('the request line never contains the Authorization header or the body', async () => {
    logs = captureLogs('production', 'http');
    const routes = new ApiRouter().post('/login', { summary: 'login', responses: { 200: 'ok' } }, (_req: Request, res: Response) => {
      res.json({ ok: true });
    });

    await request(appWith([['', routes]]))
      .post('/login')
      .set('Authorization', 'Bearer header-secret')
      .send({ password: 'body-secret' });
    await logs.waitFor(1);

    const text = logs.lines.join('\n');
    expect(text).toContain('POST /login 200');
    expect(text).not.toContain('header-secret');
    expect(text).not.toContain('body-secret');
  });
});
