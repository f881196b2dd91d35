import { describe, expect, test } from '@jest/globals';
import type { Request, Response } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, authenticate, buildOpenApi, createTokenService, secured, validate, type SecurityScheme } from '../src/index.ts';
import { appWith } from './support.ts';

const Note = z.object({ id: z.string(), title: z.string().max(80) }).meta({ id: 'Note', description: 'A note' });
const NewNote = z.strictObject({ title: z.string().min(1).max(80) }).meta({ id: 'NewNote' });
const NoteId = z.object({ id: z.string().length(24) });
const Paging = z.object({ limit: z.coerce.number().int().max(100).default(20) });

const tokens = createTokenService({ secret: 'x'.repeat(32), issuer: 'i', audience: 'a', ttlSeconds: 60 });
const create = { body: NewNote };
const read = { params: NoteId, query: Paging };
const notes = new ApiRouter('notes')
  .post(
    '/',
    { summary: 'Create a note', responses: { 201: Note } },
    validate(create),
    authenticate(tokens),
    (_req: Request, res: Response) => {
      res.status(201).json({ id: 'x', title: 't' });
    },
  )
  .get(
    '/:id',
    { summary: 'Read a note', description: 'Only your own notes.', responses: { 200: Note } },
    validate(read),
    (_req: Request, res: Response) => {
      res.json({ id: 'x', title: 't' });
    },
  )
  .delete(
    '/:id',
    { summary: 'Delete a note', responses: { 204: 'Deleted' } },
    validate({ params: NoteId }),
    (_req: Request, res: Response) => {
      res.status(204).end();
    },
  );

const app = appWith([['/notes', notes]], { description: 'Notes for tests' });

type Operation = {
  summary: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<
      string,
      {
        type?: string;
        properties?: Record<string, { maxLength?: number; minLength?: number }>;
        required?: string[];
        additionalProperties?: unknown;
      }
    >;
    securitySchemes?: Record<string, unknown>;
  };
};

describe('GET /openapi.json', () => {
  test('is an OpenAPI 3.1 document describing the service and every route, the shared ones included', async () => {
    const response = await request(app).get('/openapi.json');
    const doc = response.body as Document;

    expect(response.status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'core-test', version: '1.2.3', description: 'Notes for tests' });
    expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/notes', '/notes/{id}', '/ready']);
    expect(Object.keys(doc.paths['/notes/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
  });

  test("a route's zod schemas become components, referenced from the request and response", async () => {
    const doc = (await request(app).get('/openapi.json')).body as Document;
    const post = doc.paths['/notes']?.post;

    expect(post?.summary).toBe('Create a note');
    expect(post?.tags).toEqual(['notes']);
    expect(post?.requestBody?.content['application/json']?.schema.$ref).toBe('#/components/schemas/NewNote');
    expect(post?.responses['201']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/Note');
    expect(doc.components.schemas.NewNote).toMatchObject({
      type: 'object',
      properties: { title: { minLength: 1, maxLength: 80 } },
      required: ['title'],
      additionalProperties: false,
    });
    expect(doc.components.schemas.Note).toMatchObject({ type: 'object', required: ['id', 'title'] });
  });

  test('path and query parameters come from the params and query schemas', async () => {
    const doc = (await request(app).get('/openapi.json')).body as Document;
    const get = doc.paths['/notes/{id}']?.get;

    expect(get?.description).toBe('Only your own notes.');
    expect(get?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
        expect.objectContaining({ name: 'limit', in: 'query' }),
      ]),
    );
  });

  test("an optional filter's example is left out, so Swagger UI's Try it out does not send it; a required parameter keeps its example", () => {
    const Search = z.object({
      tag: z.string().optional().meta({ example: 'home' }),
      sort: z.enum(['new', 'old']).meta({ example: 'new' }),
    });
    const listing = new ApiRouter().get('/', { summary: 'List', responses: { 200: 'ok' } }, validate({ query: Search }), (_req, res) => {
      res.end();
    });
    const doc = buildOpenApi({ title: 't', version: '1' }, [['/notes', listing]]) as unknown as {
      paths: Record<string, { get: { parameters: Array<{ name: string; required?: boolean; schema: { example?: unknown } }> } }>;
    };
    const parameters = doc.paths['/notes']?.get.parameters;

    expect(parameters?.map(({ name, required, schema }) => ({ name, required, example: schema.example }))).toEqual([
      { name: 'tag', required: undefined, example: undefined },
      { name: 'sort', required: true, example: 'new' },
    ]);
  });

  test('every operation documents the problem+json default response', async () => {
    const doc = (await request(app).get('/openapi.json')).body as Document;

    for (const operations of Object.values(doc.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.responses.default?.content?.['application/problem+json']?.schema.$ref).toBe('#/components/schemas/Problem');
      }
    }
    expect(doc.paths['/notes/{id}']?.delete?.responses['204']).toEqual({ description: 'Deleted' });
  });

  test('routes behind authenticate() require the bearer scheme; others do not', async () => {
    const doc = (await request(app).get('/openapi.json')).body as Document;

    expect(doc.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(doc.paths['/notes']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/notes/{id}']?.get?.security).toBeUndefined();
  });

  test('a route documents the schemes its own middleware require, all together: a session cookie and its CSRF header', () => {
    const cookie: SecurityScheme = { name: 'sessionCookie', scheme: { type: 'apiKey', in: 'cookie', name: 'sid' } };
    const csrf: SecurityScheme = { name: 'csrfToken', scheme: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' } };
    const pass = (): Parameters<typeof secured>[0] => (_req, _res, next) => next();
    const router = new ApiRouter()
      .get('/me', { summary: 'me', responses: { 200: 'me' } }, secured(pass(), cookie), (_req: Request, res: Response) => res.end())
      .post(
        '/logout',
        { summary: 'out', responses: { 204: 'out' } },
        secured(pass(), cookie),
        secured(pass(), csrf),
        (_req: Request, res: Response) => res.end(),
      );

    const doc = buildOpenApi({ title: 't', version: '1' }, [['/auth', router]]) as unknown as Document;

    expect(doc.paths['/auth/me']?.get?.security).toEqual([{ sessionCookie: [] }]);
    expect(doc.paths['/auth/logout']?.post?.security).toEqual([{ sessionCookie: [], csrfToken: [] }]);
    expect(doc.components.securitySchemes).toEqual({ sessionCookie: cookie.scheme, csrfToken: csrf.scheme });
  });

  test('headers validated by validate({ headers }) are documented as header parameters', () => {
    const router = new ApiRouter().patch(
      '/tasks/:id',
      { summary: 'edit', responses: { 200: 'edited' } },
      validate({ params: NoteId, headers: z.object({ 'if-match': z.string().optional().meta({ description: 'the ETag' }) }) }),
      (_req: Request, res: Response) => res.end(),
    );

    const doc = buildOpenApi({ title: 't', version: '1' }, [['', router]]) as unknown as Document;

    expect(doc.paths['/tasks/{id}']?.patch?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'header', name: 'if-match', description: 'the ETag' }),
        expect.objectContaining({ in: 'path', name: 'id' }),
      ]),
    );
  });

  test('without a secured route, no security scheme is declared', () => {
    const doc = buildOpenApi({ title: 't', version: '1' }, [
      ['/open', new ApiRouter().get('/', { summary: 's', responses: { 200: 'ok' } })],
    ]);

    expect(doc.components?.securitySchemes).toBeUndefined();
    expect(doc.paths?.['/open']?.get?.summary).toBe('s');
  });
});

describe('GET /docs', () => {
  test('redirects /docs to /docs/, so the relative asset links resolve', async () => {
    const response = await request(app).get('/docs');

    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/docs/');
  });

  test('serves Swagger UI for the document, with the service in the title', async () => {
    const page = await request(app).get('/docs/');
    const init = await request(app).get('/docs/swagger-ui-init.js');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui">');
    expect(page.text).toContain('<title>core-test — API docs</title>');
    expect(init.status).toBe(200);
    expect(init.text).toContain('"/notes/{id}"');
  });

  test('serves the Swagger UI assets under /docs/', async () => {
    const css = await request(app).get('/docs/swagger-ui.css');

    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });
});
