import { beforeAll, describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { testLogger } from './support.ts';

const READ_KEY = 'read-key-for-redaction-tests';
const SECRETS = {
  authorization: 'Bearer sk-live-authorization-9f31',
  cookie: 'sid=cookie-secret-77aa',
  apiKey: 'api-key-secret-5c2e',
  password: 'hunter2-password-secret',
  token: 'nested-token-secret-b81d',
  secret: 'array-item-secret-03fe',
  queryToken: 'query-token-secret-6d4a',
};

describe('secrets never reach the log', () => {
  const { app, buffer } = testLogger({ LOGS_READ_KEY: READ_KEY });
  let echoed: request.Response;

  beforeAll(async () => {
    echoed = await request(app)
      .post('/echo')
      .query({ token: SECRETS.queryToken, page: '2' })
      .set('Authorization', SECRETS.authorization)
      .set('Cookie', SECRETS.cookie)
      .set('X-Api-Key', SECRETS.apiKey)
      .set('X-Logs-Key', READ_KEY)
      .set('X-Trace-Note', 'keep-me')
      .send({
        note: 'visible',
        password: SECRETS.password,
        nested: { token: SECRETS.token, color: 'blue' },
        items: [{ secret: SECRETS.secret, n: 1 }],
      });
  });

  test('the caller still gets its own data back in full: redaction applies to the log only', () => {
    expect(echoed.status).toBe(200);
    expect(echoed.body.password).toBe(SECRETS.password);
  });

  test('the entry in the buffer has every secret replaced by [REDACTED], and keeps the rest', () => {
    const entry = buffer.entries().find(({ requestId }) => requestId === echoed.headers['x-request-id']);

    expect(entry?.headers).toMatchObject({
      authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'x-logs-key': '[REDACTED]',
      'x-trace-note': 'keep-me',
    });
    expect(entry?.body).toEqual({
      note: 'visible',
      password: '[REDACTED]',
      nested: { token: '[REDACTED]', color: 'blue' },
      items: [{ secret: '[REDACTED]', n: 1 }],
    });
    expect(entry?.query).toEqual({ token: '[REDACTED]', page: '2' });
  });

  test('no raw secret appears anywhere in the buffer', () => {
    const stored = JSON.stringify(buffer.entries());

    for (const secret of [...Object.values(SECRETS), READ_KEY]) expect(stored).not.toContain(secret);
    expect(stored).toContain('visible');
  });

  test('no raw secret appears anywhere in GET /logs', async () => {
    const response = await request(app).get('/logs').set('X-Logs-Key', READ_KEY);

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ requestId: echoed.headers['x-request-id'] })]));
    for (const secret of [...Object.values(SECRETS), READ_KEY]) expect(response.text).not.toContain(secret);
  });

  test('a wrong read key sent to /logs is recorded redacted too', async () => {
    const wrongKey = 'almost-the-right-key-but-not';

    const response = await request(app).get('/logs').set('X-Logs-Key', wrongKey);

    expect(response.status).toBe(401);
    expect(JSON.stringify(buffer.entries())).not.toContain(wrongKey);
  });
});
