// Exercise 2: redact by value as well as by key. A string that is a JWT (three base64url parts
// joined by dots, starting eyJ) or a `Bearer …` credential becomes [REDACTED] in the log, under
// whatever key it hides, in the body, the query and the headers.
import { beforeAll, describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { testLogger } from '../test/support.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz';
const BEARER = 'Bearer sk-live-value-secret-41d7';

describe('secrets under innocent keys', () => {
  const { app, buffer } = testLogger();
  let echoed: request.Response;

  beforeAll(async () => {
    echoed = await request(app)
      .post('/echo')
      .query({ q: JWT, page: '2' })
      .set('X-Forwarded-Credential-Note', BEARER)
      .set('X-Trace-Note', 'keep-me')
      .send({
        note: BEARER,
        nested: { jwt: JWT, color: 'blue' },
        items: [JWT, 'plain text', { n: 1 }],
        version: '1.2.3',
        greeting: 'Bearer of good news, hello',
        count: 3,
      });
  });

  const entry = () => buffer.entries().find(({ requestId }) => requestId === echoed.headers['x-request-id']);

  test('a JWT or a Bearer credential is [REDACTED] at any depth of the body, in arrays too; the rest is kept', () => {
    expect(entry()?.body).toEqual({
      note: '[REDACTED]',
      nested: { jwt: '[REDACTED]', color: 'blue' },
      items: ['[REDACTED]', 'plain text', { n: 1 }],
      version: '1.2.3',
      greeting: 'Bearer of good news, hello',
      count: 3,
    });
  });

  test('in the query and in headers too', () => {
    expect(entry()?.query).toEqual({ q: '[REDACTED]', page: '2' });
    expect(entry()?.headers).toMatchObject({ 'x-forwarded-credential-note': '[REDACTED]', 'x-trace-note': 'keep-me' });
  });

  test('neither secret appears anywhere in GET /logs', async () => {
    const response = await request(app).get('/logs');

    expect(response.status).toBe(200);
    expect(response.text).not.toContain(JWT);
    expect(response.text).not.toContain('sk-live-value-secret-41d7');
  });

  test('the caller still gets its own data back in full: redaction applies to the log only', () => {
    expect(echoed.status).toBe(200);
    expect(echoed.body.note).toBe(BEARER);
    expect(echoed.body.items[0]).toBe(JWT);
  });

  test('redaction by key still works', async () => {
    const response = await request(app).post('/echo').send({ password: 'hunter2-by-key' });
    const recorded = buffer.entries().find(({ requestId }) => requestId === response.headers['x-request-id']);

    expect(recorded?.body).toEqual({ password: '[REDACTED]' });
  });
});
