import { describe, expect, test } from '@jest/globals';
import type { Express } from 'express';
import request, { type Response } from 'supertest';

export interface ContractOptions {
  /** A route that accepts a JSON body, e.g. { method: 'post', path: '/counters/a/increment' }. */
  jsonRoute: { method: 'post' | 'put' | 'patch'; path: string };
  /** A known path and a method it does not allow, e.g. { method: 'delete', path: '/counters' }. */
  wrongMethod: { method: 'post' | 'put' | 'patch' | 'delete'; path: string; allow: string };
  /** The service's BODY_LIMIT in bytes (default 100 kB). */
  bodyLimitBytes?: number;
}

function expectPipelineHeaders(response: Response) {
  expect(response.headers['x-request-id']).toMatch(/^[\w.:-]+$/);
  expect(response.headers['server-timing']).toMatch(/total;dur=\d/);
  expect(response.headers['x-powered-by']).toBeUndefined();
}

function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(response.body.requestId).toBe(response.headers['x-request-id']);
  expect(JSON.stringify(response.body)).not.toMatch(/at .+\.(ts|js):\d+/);
}

/**
 * The HTTP contract every Backend Hub service keeps, as one reusable suite: request id and
 * Server-Timing on every response, problem+json for malformed JSON (400), unknown routes
 * (404), wrong methods (405 with Allow) and oversized bodies (413), no X-Powered-By, and
 * /health, /openapi.json and /docs served.
 */
export function describePipelineContract(app: () => Express, options: ContractOptions): void {
  const { jsonRoute, wrongMethod, bodyLimitBytes = 100 * 1024 } = options;

  describe('the shared pipeline contract', () => {
    test('when the JSON body is malformed, answers 400 problem+json', async () => {
      const response = await request(app())[jsonRoute.method](jsonRoute.path).set('Content-Type', 'application/json').send('{"by": 1,');
      expectProblem(response, 400);
      expectPipelineHeaders(response);
    });

    test('when the route does not exist, answers 404 problem+json naming it', async () => {
      const response = await request(app()).get('/no/such/route');
      expectProblem(response, 404);
      expect(response.body.detail).toContain('GET /no/such/route');
      expectPipelineHeaders(response);
    });

    test('when the method is wrong for a known path, answers 405 with Allow', async () => {
      const response = await request(app())[wrongMethod.method](wrongMethod.path);
      expectProblem(response, 405);
      expect(response.headers.allow).toBe(wrongMethod.allow);
      expectPipelineHeaders(response);
    });

    test('when the body is over the limit, answers 413 problem+json', async () => {
      const huge = JSON.stringify({ padding: 'x'.repeat(bodyLimitBytes + 1) });
      const response = await request(app())[jsonRoute.method](jsonRoute.path).set('Content-Type', 'application/json').send(huge);
      expectProblem(response, 413);
      expectPipelineHeaders(response);
    });

    test('serves /health, /openapi.json and /docs, each with a request id and Server-Timing', async () => {
      const health = await request(app()).get('/health');
      const openapi = await request(app()).get('/openapi.json');
      const docs = await request(app()).get('/docs/');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      expect(openapi.status).toBe(200);
      expect(openapi.body.openapi).toBe('3.1.0');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('swagger-ui');
      for (const response of [health, openapi, docs]) expectPipelineHeaders(response);
    });

    test('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
      const echoed = await request(app()).get('/health').set('X-Request-Id', 'trace-123');
      const replaced = await request(app()).get('/health').set('X-Request-Id', 'not an id; DROP');
      expect(echoed.headers['x-request-id']).toBe('trace-123');
      expect(replaced.headers['x-request-id']).not.toBe('not an id; DROP');
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
