import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { testApp, seedNotes } from './support.ts';

useTestDatabase();
const app = testApp();

type Item = { id: string; title: string };
const titles = (response: request.Response) => (response.body.items as Item[]).map((note) => note.title);

/** A new user with the given notes: each test sees only its own, whatever else the database holds. */
async function userWith(notes: Parameters<typeof seedNotes>[1]) {
  const account = await signUp(app);
  await seedNotes(account.user.id, notes);
  return account;
}

describe('GET /notes?tag=', () => {
  test('lists only the notes carrying that tag, matching it trimmed and lower-cased', async () => {
    const account = await userWith([
      { title: 'work only', tags: ['work'] },
      { title: 'both', tags: ['home', 'work'] },
      { title: 'home only', tags: ['home'] },
      { title: 'untagged' },
    ]);

    const response = await request(app).get('/notes').set(account.auth).query({ tag: ' WORK ', sort: 'title' });

    expect(response.status).toBe(200);
    expect(titles(response)).toEqual(['both', 'work only']);
    expect(response.body.total).toBe(2);
  });
});

describe('GET /notes?archived=', () => {
  test('hides archived notes by default; archived=true lists only them; archived=false is the default', async () => {
    const account = await userWith([
      { title: 'active', archived: false },
      { title: 'put away', archived: true },
    ]);

    const byDefault = await request(app).get('/notes').set(account.auth);
    const archived = await request(app).get('/notes').set(account.auth).query({ archived: 'true' });
    const active = await request(app).get('/notes').set(account.auth).query({ archived: 'false' });

    expect(titles(byDefault)).toEqual(['active']);
    expect(titles(archived)).toEqual(['put away']);
    expect(titles(active)).toEqual(['active']);
  });
});

describe('GET /notes?sort=', () => {
  const notes = [
    { title: 'b: edited a minute ago', pinned: false, minutesAgo: 1, createdAt: new Date('2024-01-03T00:00:00Z') },
    { title: 'd: pinned long ago', pinned: true, minutesAgo: 30, createdAt: new Date('2024-01-01T00:00:00Z') },
    { title: 'a: edited ten minutes ago', pinned: false, minutesAgo: 10, createdAt: new Date('2024-01-04T00:00:00Z') },
    { title: 'c: pinned recently', pinned: true, minutesAgo: 5, createdAt: new Date('2024-01-02T00:00:00Z') },
  ];

  test.each([
    ['pinned-first (the default)', {}, ['c: pinned recently', 'd: pinned long ago', 'b: edited a minute ago', 'a: edited ten minutes ago']],
    [
      'pinned-first',
      { sort: 'pinned-first' },
      ['c: pinned recently', 'd: pinned long ago', 'b: edited a minute ago', 'a: edited ten minutes ago'],
    ],
    ['updated', { sort: 'updated' }, ['b: edited a minute ago', 'c: pinned recently', 'a: edited ten minutes ago', 'd: pinned long ago']],
    ['created', { sort: 'created' }, ['a: edited ten minutes ago', 'b: edited a minute ago', 'c: pinned recently', 'd: pinned long ago']],
    ['title', { sort: 'title' }, ['a: edited ten minutes ago', 'b: edited a minute ago', 'c: pinned recently', 'd: pinned long ago']],
  ])('sort %s orders the notes as expected', async (_case, query, expected) => {
    const account = await userWith(notes);

    const response = await request(app).get('/notes').set(account.auth).query(query);

    expect(response.status).toBe(200);
    expect(titles(response)).toEqual(expected);
  });

  test('editing a note moves it to the front of its group', async () => {
    const account = await userWith(notes);
    const before = await request(app).get('/notes').set(account.auth).query({ sort: 'title' });
    const oldest = (before.body.items as Item[]).find((note) => note.title.startsWith('a:'));

    await request(app).patch(`/notes/${oldest?.id}`).set(account.auth).send({ body: 'touched' });
    const response = await request(app).get('/notes').set(account.auth);

    expect(titles(response)).toEqual(['c: pinned recently', 'd: pinned long ago', 'a: edited ten minutes ago', 'b: edited a minute ago']);
  });
});

describe('GET /notes?q=', () => {
  const notes = [
    { title: 'Regex .* cheat sheet', body: 'anchors and groups' },
    { title: 'Shopping', body: 'Buy GROCERIES on Friday' },
    { title: 'groceries budget', body: '' },
    { title: 'Unrelated', body: 'a (b) c' },
  ];

  test.each([
    ['.*', ['Regex .* cheat sheet']],
    ['groceries', ['Shopping', 'groceries budget']],
    ['CHEAT', ['Regex .* cheat sheet']],
    ['(b)', ['Unrelated']],
    ['(', ['Unrelated']],
    ['^Shop', []],
    ['[a-z]+', []],
  ])('q=%s matches the text literally and case-insensitively in title or body', async (q, expected) => {
    const account = await userWith(notes);

    const response = await request(app).get('/notes').set(account.auth).query({ q, sort: 'title' });

    expect(response.status).toBe(200);
    expect(titles(response).sort()).toEqual([...expected].sort());
  });
});

describe('GET /notes pagination', () => {
  const fortyFive = Array.from({ length: 45 }, (_, n) => ({
    title: `note ${String(n).padStart(2, '0')}`,
    minutesAgo: n,
    pinned: n % 9 === 0,
  }));

  test('45 notes by 20: three pages, the last holds 5 and no next cursor, past the end is empty', async () => {
    const account = await userWith(fortyFive);
    const page = (number: number) => request(app).get('/notes').set(account.auth).query({ sort: 'title', page: number });

    const [first, last, beyond] = await Promise.all([page(1), page(3), page(4)]);

    expect(first.body).toMatchObject({ total: 45, limit: 20, page: 1, pages: 3, nextCursor: expect.any(String) });
    expect(first.body.items).toHaveLength(20);
    expect(titles(first)[0]).toBe('note 00');
    expect(last.body).toMatchObject({ total: 45, page: 3, pages: 3, nextCursor: null });
    expect(titles(last)).toEqual(['note 40', 'note 41', 'note 42', 'note 43', 'note 44']);
    expect(beyond.status).toBe(200);
    expect(beyond.body).toMatchObject({ items: [], total: 45, page: 4, pages: 3, nextCursor: null });
  });

  test('walking by cursor in pinned-first order returns every note exactly once, in order', async () => {
    const account = await userWith(fortyFive);
    const all = await request(app).get('/notes').set(account.auth).query({ limit: 100 });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: request.Response = await request(app)
        .get('/notes')
        .set(account.auth)
        .query({ limit: 20, ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...(response.body.items as Item[]).map((note) => note.id));
      cursor = response.body.nextCursor as string | null;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(seen).toEqual((all.body.items as Item[]).map((note) => note.id));
    expect(titles(all).slice(0, 5)).toEqual(['note 00', 'note 09', 'note 18', 'note 27', 'note 36']);
  });
});
