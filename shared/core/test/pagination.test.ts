import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import type { Response } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, pageOf, pageQuery, paginate, validate, type ValidRequest } from '../src/index.ts';
import { appWith } from './support.ts';

useTestDatabase();
const Row = mongoose.model(
  'PageRow',
  new mongoose.Schema({ n: { type: Number, required: true }, pinned: { type: Boolean, required: true }, group: String }),
);
const RowView = z.object({ n: z.int(), pinned: z.boolean() });
const toView = (row: { n: number; pinned: boolean }) => ({ n: row.n, pinned: row.pinned });

const listing = { query: pageQuery({ group: z.string().max(20), order: z.enum(['n', 'pinned-first']).default('n') }) };
const routes = new ApiRouter('rows').get(
  '/rows',
  { summary: 'Rows', responses: { 200: pageOf(RowView, 'RowPage') } },
  validate(listing),
  async (req: ValidRequest<typeof listing>, res: Response) => {
    const { group, order, ...page } = req.query;
    const sort: Record<string, 1 | -1> = order === 'n' ? { n: 1 } : { pinned: -1, n: -1 };
    res.json(await paginate(Row, { filter: { group }, sort, map: toView }, page));
  },
);
const app = appWith([['', routes]]);

async function seed(group: string, count: number) {
  await Row.insertMany(Array.from({ length: count }, (_, n) => ({ n, pinned: n % 7 === 0, group })));
}

describe('by page', () => {
  test('limit defaults to 20, total counts every match, pages rounds up', async () => {
    await seed('a', 45);

    const response = await request(app).get('/rows').query({ group: 'a' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 45, limit: 20, page: 1, pages: 3 });
    expect(response.body.items.map((row: { n: number }) => row.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });

  test('the last page holds the remainder and has no next cursor; past the end is empty', async () => {
    await seed('b', 45);

    const last = await request(app).get('/rows').query({ group: 'b', page: 3 });
    const beyond = await request(app).get('/rows').query({ group: 'b', page: 4 });

    expect(last.body.items.map((row: { n: number }) => row.n)).toEqual([40, 41, 42, 43, 44]);
    expect(last.body.nextCursor).toBeNull();
    expect(beyond.status).toBe(200);
    expect(beyond.body).toMatchObject({ items: [], total: 45, page: 4, pages: 3, nextCursor: null });
  });

  test('exactly one full page: one page, no next cursor', async () => {
    await seed('c', 20);

    const response = await request(app).get('/rows').query({ group: 'c', limit: 20 });

    expect(response.body).toMatchObject({ total: 20, pages: 1, nextCursor: null });
    expect(response.body.items).toHaveLength(20);
  });

  test('no matches: zero pages, empty items', async () => {
    const response = await request(app).get('/rows').query({ group: 'none' });

    expect(response.body).toEqual({ items: [], total: 0, limit: 20, page: 1, pages: 0, nextCursor: null });
  });
});

describe('by cursor', () => {
  test('walking every page in pinned-first order returns each row once, in the same order as one big query', async () => {
    await seed('d', 53);
    const expected = (await Row.find({ group: 'd' }).sort({ pinned: -1, n: -1 }).lean()).map((row) => row.n);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await request(app)
        .get('/rows')
        .query({ group: 'd', order: 'pinned-first', limit: 10, ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((row: { n: number }) => row.n));
      cursor = response.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual(expected);
  });

  test('a row inserted before the cursor position does not shift the next page', async () => {
    await seed('e', 30);
    const first = await request(app).get('/rows').query({ group: 'e', limit: 10 });
    await Row.create({ n: -1, pinned: false, group: 'e' });

    const second = await request(app).get('/rows').query({ group: 'e', limit: 10, cursor: first.body.nextCursor });

    expect(second.body.items.map((row: { n: number }) => row.n)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(second.body.page).toBeNull();
    expect(second.body.total).toBe(31);
  });

  test('a cursor from another sort order, or garbage, is a 400 naming cursor', async () => {
    await seed('f', 15);
    const byN = await request(app).get('/rows').query({ group: 'f', limit: 5 });

    for (const cursor of [byN.body.nextCursor, 'not-a-cursor', Buffer.from('{"k":1}').toString('base64url')]) {
      const response = await request(app).get('/rows').query({ group: 'f', order: 'pinned-first', cursor });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'cursor' })]);
    }
  });
});

describe('bad paging input → 400 naming the field', () => {
  test.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '1000' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ page: '-1' }, 'page'],
    [{ page: '0' }, 'page'],
    [{ page: '2', cursor: 'abc' }, 'cursor'],
    [{ sort: 'n' }, 'sort'],
  ])('%o', async (query, field) => {
    const response = await request(app)
      .get('/rows')
      .query({ group: 'g', ...query });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  test('an operator object in the query string is refused', async () => {
    const response = await request(app).get('/rows?group[$ne]=x&limit[$gt]=1');

    expect(response.status).toBe(400);
    // The simple query parser keeps `group[$ne]` as a key of its own: an unknown field, never an operator.
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['group[$ne]', 'limit[$gt]']),
    );
  });
});
