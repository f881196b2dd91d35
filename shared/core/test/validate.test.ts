import { describe, expect, test } from '@jest/globals';
import type { Response } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, validate, type ValidRequest } from '../src/index.ts';
import { appWith, timingEntry } from './support.ts';

const NoteId = z.strictObject({ id: z.coerce.number().int().positive() });
const NoteBody = z.object({ title: z.string().min(1), tags: z.array(z.string()).max(3).default([]) });
const StrictBody = z.strictObject({ title: z.string(), meta: z.strictObject({ color: z.string() }).optional() });
const Search = z.strictObject({
  q: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  archived: z
    .enum(['true', 'false'])
    .transform((flag) => flag === 'true')
    .optional(),
});

const Versioned = z.object({
  'if-match': z
    .string()
    .regex(/^"\d+"$/, 'must be a quoted version such as "3"')
    .transform((tag) => Number(tag.slice(1, -1)))
    .optional(),
});

const update = { params: NoteId, body: NoteBody };
const versioned = { headers: Versioned };
const strict = { body: StrictBody };
const search = { query: Search };

/** Each handler echoes what it received, with the runtime types, so the test sees what validate() handed over. */
const routes = new ApiRouter('validate')
  .put(
    '/notes/:id',
    { summary: 'update', responses: { 200: 'echo' } },
    validate(update),
    (req: ValidRequest<typeof update>, res: Response) => {
      const id: number = req.params.id;
      const title: string = req.body.title;
      res.json({ id, idType: typeof id, title, body: req.body });
    },
  )
  .post(
    '/strict',
    { summary: 'strict', responses: { 200: 'echo' } },
    validate(strict),
    (req: ValidRequest<typeof strict>, res: Response) => {
      res.json(req.body);
    },
  )
  .get(
    '/search',
    { summary: 'search', responses: { 200: 'echo' } },
    validate(search),
    (req: ValidRequest<typeof search>, res: Response) => {
      res.json({ query: req.query, limitType: typeof req.query.limit });
    },
  )
  .delete(
    '/versioned',
    { summary: 'headers', responses: { 200: 'echo' } },
    validate(versioned),
    (req: ValidRequest<typeof versioned>, res: Response) => {
      const expected: number | undefined = req.headers['if-match'];
      res.json({ expected, type: typeof expected, userAgent: req.get('user-agent') ?? null });
    },
  )
  .get('/raw', { summary: 'no schemas', responses: { 200: 'echo' } }, validate({}), (req, res: Response) => {
    res.json({ query: req.query });
  });

const app = appWith([['', routes]]);

describe('validate(): parsed, typed values', () => {
  test('params are coerced and the body has its defaults, so the handler sees typed data', async () => {
    const response = await request(app).put('/notes/42').send({ title: 'Groceries' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 42, idType: 'number', title: 'Groceries', body: { title: 'Groceries', tags: [] } });
    expect(timingEntry(response.headers['server-timing'], 'validate')).toMatch(/^validate;dur=\d+\.\d$/);
  });

  test('unknown keys in a non-strict object are dropped before the handler (no mass assignment)', async () => {
    const response = await request(app)
      .put('/notes/1')
      .send({ title: 'x', owner: 'admin', role: 'admin', tags: ['a'] });

    expect(response.status).toBe(200);
    expect(response.body.body).toEqual({ title: 'x', tags: ['a'] });
  });

  test('query strings are coerced and defaulted; the parsed query replaces req.query', async () => {
    const withValues = await request(app).get('/search').query({ q: 'milk', limit: '25', archived: 'true' });
    const withDefaults = await request(app).get('/search');

    expect(withValues.status).toBe(200);
    expect(withValues.body).toEqual({ query: { q: 'milk', limit: 25, archived: true }, limitType: 'number' });
    expect(withDefaults.body).toEqual({ query: { limit: 10 }, limitType: 'number' });
  });

  test('without a query schema, req.query is left as Express parsed it (flat: no nested objects)', async () => {
    const response = await request(app).get('/raw?a=1&b[c]=2');

    expect(response.body.query).toEqual({ a: '1', 'b[c]': '2' });
  });
});

describe('validate({ headers })', () => {
  test('the parsed header replaces the raw one, typed; headers the schema does not name pass through', async () => {
    const response = await request(app).delete('/versioned').set('If-Match', '"7"').set('User-Agent', 'probe/1');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ expected: 7, type: 'number', userAgent: 'probe/1' });
  });

  test('an optional header may be left out', async () => {
    const response = await request(app).delete('/versioned');

    expect(response.status).toBe(200);
    expect(response.body.expected).toBeUndefined();
  });

  test('a malformed header answers 400 naming it, in: headers, decided at validate', async () => {
    const response = await request(app).delete('/versioned').set('If-Match', 'W/"7"');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'headers', field: 'if-match', message: 'must be a quoted version such as "3"' }]);
    expect(timingEntry(response.headers['server-timing'], 'validate')).toMatch(/failed here/);
  });
});

describe('validate(): refusals', () => {
  test('an operator object where a string is expected ({"$gt": ""}) answers 400 naming the field', async () => {
    const response = await request(app)
      .put('/notes/1')
      .send({ title: { $gt: '' } });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:validation-failed',
      detail: 'Invalid body.title.',
      errors: [{ in: 'body', field: 'title', message: expect.stringContaining('expected string') }],
    });
    expect(response.headers['server-timing']).toMatch(/^validate;desc="failed here";dur=[\d.]+, total;dur=/);
  });

  test('an operator in the query string is an unknown field of a strict query, not an operator', async () => {
    const response = await request(app).get('/search?q[$ne]=x');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'query', field: 'q[$ne]', message: 'is not a known field' }]);
  });

  test('every problem in every location is reported at once, each with its location', async () => {
    const response = await request(app)
      .put('/notes/-3')
      .send({ tags: ['a', 'b', 'c', 'd'] });

    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('Invalid params.id, body.title, body.tags.');
    expect(response.body.errors).toEqual([
      { in: 'params', field: 'id', message: expect.any(String) },
      { in: 'body', field: 'title', message: expect.any(String) },
      { in: 'body', field: 'tags', message: expect.any(String) },
    ]);
  });

  test('a strict schema refuses unknown keys, nested ones named by their path', async () => {
    const response = await request(app)
      .post('/strict')
      .send({ title: 't', meta: { color: 'red', admin: true }, extra: 1 });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { in: 'body', field: 'meta.admin', message: 'is not a known field' },
        { in: 'body', field: 'extra', message: 'is not a known field' },
      ]),
    );
    expect(response.body.errors).toHaveLength(2);
  });

  test('a missing body where an object is expected is named as the (root)', async () => {
    const response = await request(app).post('/strict');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: '(root)', message: expect.any(String) }]);
  });

  test('a nested array element is named by its index', async () => {
    const response = await request(app)
      .put('/notes/1')
      .send({ title: 't', tags: ['ok', 7] });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: 'tags.1', message: expect.any(String) }]);
  });
});
