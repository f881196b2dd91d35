import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, test } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import type { LogEntry } from '../src/logs/logs.schemas.ts';
import { recordRequests } from '../src/logs/record-requests.ts';
import { RingBuffer } from '../src/logs/ring-buffer.ts';
import { testLogger } from './support.ts';

describe('where the recorder sits in the pipeline', () => {
  test('after request id assignment: the entry carries the id the response was sent with', async () => {
    const { app, buffer } = testLogger();

    const generated = await request(app).get('/health');
    const echoed = await request(app).get('/health').set('X-Request-Id', 'trace-order-1');

    expect(echoed.headers['x-request-id']).toBe('trace-order-1');
    expect(buffer.entries().map(({ requestId }) => requestId)).toEqual([generated.headers['x-request-id'], 'trace-order-1']);
  });

  test('after body parsing: it records the parsed object, not the raw text', async () => {
    const { app, buffer } = testLogger();

    await request(app).post('/echo').set('Content-Type', 'application/json').send('{"note":"parsed","count":3}');

    expect(buffer.entries()[0]?.body).toEqual({ note: 'parsed', count: 3 });
  });

  test('before validation: it records the query as the client sent it, even the key validation refuses', async () => {
    const { app, buffer } = testLogger();

    await request(app).get('/slow').query({ ms: '0', extra: 'x' });

    expect(buffer.entries()[0]).toMatchObject({ status: 400, query: { ms: '0', extra: 'x' } });
  });
});

describe('next() returns before the response is sent', () => {
  /**
   * A tiny app with two middleware around an async handler, recording each step. `naiveLog`
   * logs right after next() returns, the way it looks like it should work; recordRequests
   * waits for 'finish'.
   */
  function composeTinyApp() {
    const steps: string[] = [];
    const buffer = new RingBuffer<LogEntry>(10);
    const app = express();
    app.use((_req, res, next) => {
      res.locals.requestId = 'tiny-1';
      next();
    });
    app.use(function naiveLog(_req, res, next) {
      steps.push('naiveLog: before next()');
      res.once('finish', () => steps.push(`naiveLog: 'finish' event, status ${res.statusCode}`));
      next();
      steps.push(`naiveLog: after next(), status ${res.statusCode}, headersSent ${res.headersSent}`);
    });
    app.use(recordRequests(buffer));
    app.use(function inner(_req, _res, next) {
      steps.push('inner: before next()');
      next();
      steps.push('inner: after next()');
    });
    app.get('/thing', async (_req, res) => {
      steps.push('handler: starts');
      await nextTurn(); // any await (a database call, a timer) hands control back to the middleware
      steps.push('handler: sends 201');
      res.status(201).json({ ok: true });
    });
    return { app, steps, buffer };
  }

  test('each middleware runs its code after next() before the handler has answered', async () => {
    const { app, steps } = composeTinyApp();

    await request(app).get('/thing');

    expect(steps).toEqual([
      'naiveLog: before next()',
      'inner: before next()',
      'handler: starts',
      'inner: after next()',
      'naiveLog: after next(), status 200, headersSent false',
      'handler: sends 201',
      "naiveLog: 'finish' event, status 201",
    ]);
  });

  test("logging after next() would record the wrong status; the 'finish' hook records the real one", async () => {
    const { app, steps, buffer } = composeTinyApp();

    const response = await request(app).get('/thing');

    expect(response.status).toBe(201);
    expect(steps).toContain('naiveLog: after next(), status 200, headersSent false');
    expect(buffer.entries()).toEqual([expect.objectContaining({ requestId: 'tiny-1', status: 201 })]);
  });

  test("the recorder's entry for a crash says 500, which no code after next() could have seen", async () => {
    const { app, buffer } = testLogger();

    await request(app).get('/fail');

    expect(buffer.entries()).toEqual([expect.objectContaining({ path: '/fail', status: 500 })]);
  });
});
