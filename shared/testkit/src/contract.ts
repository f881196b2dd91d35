import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { listen } from './postman.ts';

export interface ContractOptions {
  /** A route that accepts a JSON body, e.g. { method: 'post', path: '/counters/a/increment' }. */
  jsonRoute: { method: 'post' | 'put' | 'patch'; path: string };
  /** A known path and a method it does not allow, e.g. { method: 'delete', path: '/counters' }. */
  wrongMethod: { method: 'post' | 'put' | 'patch' | 'delete'; path: string; allow: string };
  /** The service's BODY_LIMIT in bytes (default 100 kB). */
  bodyLimitBytes?: number;
  /** Routes that exist to fail (a demo of a crash), as 'GET /fail': they document no success response. */
  neverSucceeds?: string[];
  /** The dependencies `/ready` checks, by name, e.g. ['mongo', 'redis'] (`[]` for none): each must answer `up`. */
  ready: string[];
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
 * Percent-encodings that do not decode (truncated, not hex, overlong or surrogate UTF-8), and
 * one that decodes to a control character. A client can put any of them in any path segment
 * or query value; none may ever cause a 500.
 */
export const MALFORMED_ENCODINGS = ['%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80', '%00'] as const;
const UNDECODABLE = new Set<string>(MALFORMED_ENCODINGS.filter((encoding) => encoding !== '%00'));

interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface OpenApiOperation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

async function openApiOf(app: Express): Promise<OpenApiDocument> {
  return (await request(app).get('/openapi.json')).body as OpenApiDocument;
}

/** Every operation of the service's own OpenAPI document, as [method, path template, operation]. */
async function operationsOf(app: Express, document?: OpenApiDocument): Promise<Array<[string, string, OpenApiOperation]>> {
  return Object.entries((document ?? (await openApiOf(app))).paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => [method, path, operation] as [string, string, OpenApiOperation]),
  );
}

/**
 * What is wrong with a documented response body's schema: a $ref to nothing, an object with
 * no fields, a schema that says nothing. `[]` when every level of it describes something.
 * `seen` holds the components on the way down, and is undefined only at the top.
 */
function schemaGaps(document: OpenApiDocument, schema: JsonSchema | undefined, where: string, seen?: Set<string>): string[] {
  if (!schema || Object.keys(schema).length === 0) return seen ? [] : [`${where}: no schema`]; // nested `{}`: any value (z.unknown())
  seen ??= new Set();
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    const target = document.components?.schemas?.[name];
    return target
      ? schemaGaps(document, target, `${where} (${name})`, new Set([...seen, name]))
      : [`${where}: $ref ${schema.$ref} is not in components`];
  }
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  if (alternatives.length > 0) return alternatives.flatMap((alternative) => schemaGaps(document, alternative, where, seen));
  if (schema.type === 'array') return schemaGaps(document, schema.items, `${where}[]`, seen);
  if (schema.type === 'object') {
    const fields = Object.entries(schema.properties ?? {});
    const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    if (fields.length === 0 && !values) return [`${where}: an object with no fields`];
    return [
      ...fields.flatMap(([field, value]) => schemaGaps(document, value, `${where}.${field}`, seen)),
      ...(values ? schemaGaps(document, values, `${where}.*`, seen) : []),
    ];
  }
  return [];
}

/** What the OpenAPI document leaves out about one operation; `[]` when it is complete. */
function operationGaps(
  document: OpenApiDocument,
  [method, path, operation]: [string, string, OpenApiOperation],
  neverSucceeds: string[],
): string[] {
  const name = `${method.toUpperCase()} ${path}`;
  const gaps: string[] = [];
  if (!operation.summary?.trim()) gaps.push(`${name}: no summary`);
  if (!operation.tags?.length || operation.tags.some((tag) => !tag.trim())) gaps.push(`${name}: no tag`);
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map(([, parameter]) => parameter);
  const documented = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path' && parameter.required);
  for (const parameter of inPath)
    if (!documented.some((p) => p.name === parameter)) gaps.push(`${name}: path parameter {${parameter}} not documented`);
  const responses = Object.entries(operation.responses ?? {});
  const successes = responses.filter(([status]) => /^2\d\d$/.test(status));
  if (successes.length === 0 && !neverSucceeds.includes(name)) gaps.push(`${name}: no success response`);
  for (const [status, response] of successes) {
    if (!response.description?.trim()) gaps.push(`${name} ${status}: no description`);
    for (const [type, { schema }] of Object.entries(response.content ?? {}))
      gaps.push(...schemaGaps(document, schema, `${name} ${status} ${type}`));
  }
  if (!operation.responses?.default?.content?.['application/problem+json']) gaps.push(`${name}: no problem+json default response`);
  return gaps;
}

/** Sends raw bytes to a listening app and returns the status and body of its answer. */
async function rawExchange(app: Express, payload: string): Promise<{ status: number; headers: string; body: string }> {
  const running = await listen(app);
  try {
    const { port } = new URL(running.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.write(payload);
    await Promise.race([once(socket, 'close'), once(socket, 'end')]);
    socket.destroy();
    const [head = '', body = ''] = received.split('\r\n\r\n');
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body };
  } finally {
    await running.close();
  }
}

/**
 * The HTTP contract every Backend Hub service keeps, as one reusable suite: request id and
 * Server-Timing on every response, problem+json for malformed JSON (400), unknown routes
 * (404), wrong methods (405 with Allow) and oversized bodies (413), no X-Powered-By, and
 * /health, /openapi.json and /docs served. It also fuzzes every path parameter and query
 * value of the service's OpenAPI document with malformed percent-encodings (400, never 500),
 * and checks that requests Node's HTTP parser refuses (431, 400) get problem+json too. Every
 * route must be documented completely: a summary, a tag, its path parameters, and each success
 * response with a schema that describes its fields.
 */
export function describePipelineContract(app: () => Express, options: ContractOptions): void {
  const { jsonRoute, wrongMethod, bodyLimitBytes = 100 * 1024, neverSucceeds = [], ready } = options;

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

    test(`/ready checks exactly its dependencies (${ready.join(', ') || 'none'}), each up, and is never cached`, async () => {
      const response = await request(app()).get('/ready');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready', checks: Object.fromEntries(ready.map((name) => [name, 'up'])) });
      expect(response.headers['cache-control']).toBe('no-store');
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

    test('documents every route in /openapi.json: a summary, a tag, its path parameters and its success responses, each with a schema', async () => {
      const document = await openApiOf(app());
      const operations = await operationsOf(app(), document);
      const gaps = operations.flatMap((operation) => operationGaps(document, operation, neverSucceeds));
      const badNames = Object.keys(document.components?.schemas ?? {}).filter((name) => !/^[\w.-]+$/.test(name));
      expect(operations.length).toBeGreaterThan(0);
      expect([...gaps, ...badNames.map((name) => `component name "${name}" is not valid OpenAPI`)]).toEqual([]);
    });

    test('when a path parameter is not valid percent-encoding, every documented route answers 400 problem+json; none answers 500', async () => {
      const operations = (await operationsOf(app())).filter(([, path]) => path.includes('{'));
      const answers: string[] = [];
      for (const [method, template] of operations) {
        for (const encoding of MALFORMED_ENCODINGS) {
          const path = template.replace(/\{[^}]+\}/g, `a${encoding}`);
          const response = await request(app())[method as 'get'](path).set('Content-Type', 'application/json').send('{}');
          // One that decodes (%00) reaches the service's own validation: any answer but a 5xx.
          const expected = UNDECODABLE.has(encoding) ? response.status === 400 : response.status < 500;
          const problem = response.status < 400 || /^application\/problem\+json/.test(String(response.headers['content-type']));
          if (!expected || !problem) answers.push(`${method.toUpperCase()} ${path} → ${response.status} ${response.body?.detail ?? ''}`);
        }
      }
      expect(answers).toEqual([]);
    });

    test('when a query value is not valid percent-encoding, no documented route answers 500', async () => {
      const answers: string[] = [];
      for (const [method, template, operation] of await operationsOf(app())) {
        const names = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
        if (names.length === 0) continue;
        const path = template.replace(/\{[^}]+\}/g, 'x');
        for (const encoding of MALFORMED_ENCODINGS) {
          const query = names.map((name) => `${name}=${encoding}`).join('&');
          const response = await request(app())[method as 'get'](`${path}?${query}`);
          const problem = /^application\/problem\+json/.test(String(response.headers['content-type']));
          if (response.status >= 500 || (response.status >= 400 && !problem))
            answers.push(`${method.toUpperCase()} ${path}?${query} → ${response.status}`);
        }
      }
      expect(answers).toEqual([]);
    });

    test('when the request headers are too large for the HTTP parser, answers 431 problem+json', async () => {
      const { status, headers, body } = await rawExchange(
        app(),
        `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
      );

      expect(status).toBe(431);
      expect(headers).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(body)).toMatchObject({
        status: 431,
        type: expect.stringContaining('headers-too-large'),
        detail: expect.any(String),
      });
    });

    test('when the request line is not HTTP, answers 400 problem+json', async () => {
      const { status, body } = await rawExchange(app(), 'NOT A REQUEST LINE\r\n\r\n');

      expect(status).toBe(400);
      expect(JSON.parse(body)).toMatchObject({
        status: 400,
        type: expect.stringContaining('malformed-request'),
        requestId: expect.any(String),
      });
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
