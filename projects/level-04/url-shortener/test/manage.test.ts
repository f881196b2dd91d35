import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Link } from '../src/links/link.model.ts';
import { aLink, createLink, stored, testService, unusedId, visit } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let service: ReturnType<typeof testService>;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  service = testService(redis);
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

const app = () => service.app;

describe('GET /links and GET /links/:id', () => {
  test("lists only the caller's links, newest first, by page and by cursor", async () => {
    const [carol, dave] = await Promise.all([signUp(app()), signUp(app())]);
    const now = Date.now();
    await Link.insertMany(
      Array.from({ length: 3 }, (_, n) => ({
        owner: carol.user.id,
        code: `carol-${n}-${now}`,
        url: `https://example.com/${n}`,
        createdAt: new Date(now - n * 60_000),
        updatedAt: new Date(now),
      })),
      { timestamps: false },
    );
    await createLink(app(), dave.auth);
    const codes = (response: request.Response) => (response.body.items as Array<{ code: string }>).map((link) => link.code);

    const first = await request(app()).get('/links').set(carol.auth).query({ limit: 2 });
    const next = await request(app()).get('/links').set(carol.auth).query({ limit: 2, cursor: first.body.nextCursor });

    expect(first.body).toMatchObject({ total: 3, limit: 2, page: 1, pages: 2 });
    expect(codes(first)).toEqual([`carol-0-${now}`, `carol-1-${now}`]);
    expect(codes(next)).toEqual([`carol-2-${now}`]);
  });

  test('GET /links/:id answers the link as it was created', async () => {
    const created = await createLink(app(), alice.auth, { maxVisits: 3 });

    const response = await request(app()).get(`/links/${created.id}`).set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });
});

describe('PATCH /links/:id', () => {
  test('changes only the fields sent, checks a new url like a created one, and null removes a limit', async () => {
    const link = await createLink(app(), alice.auth, { maxVisits: 3, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });

    const patched = await request(app()).patch(`/links/${link.id}`).set(alice.auth).send({ maxVisits: null });
    const unsafe = await request(app()).patch(`/links/${link.id}`).set(alice.auth).send({ url: 'http://169.254.169.254/' });

    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: link.url, maxVisits: null, visitsLeft: null, expiresAt: expect.any(String) });
    expect(unsafe.status).toBe(422);
    expect(unsafe.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    expect(await stored(link.id)).toMatchObject({ url: link.url });
  });

  test('an empty patch answers 400, and the link is unchanged', async () => {
    const link = await createLink(app(), alice.auth);

    const response = await request(app()).patch(`/links/${link.id}`).set(alice.auth).send({});

    expect(response.status).toBe(400);
    expect(await stored(link.id)).toMatchObject({ url: link.url });
  });
});

describe("another user's link", () => {
  test.each([
    ['GET /links/:id', (id: string) => request(app()).get(`/links/${id}`)],
    ['PATCH /links/:id', (id: string) => request(app()).patch(`/links/${id}`).send({ url: 'https://example.org/hijacked' })],
    ['DELETE /links/:id', (id: string) => request(app()).delete(`/links/${id}`)],
    ['GET /links/:id/stats', (id: string) => request(app()).get(`/links/${id}/stats`)],
    ['GET /links/:id/qr', (id: string) => request(app()).get(`/links/${id}/qr`)],
  ])("B's %s on A's link answers 404 like a missing one, and A's link is unchanged and still redirects", async (_route, send) => {
    const link = await createLink(app(), alice.auth);
    const before = await stored(link.id);
    const missing = await send(unusedId()).set(bob.auth);

    const response = await send(link.id).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.body.title).toBe(missing.body.title);
    expect(await stored(link.id)).toEqual(before);
    expect((await visit(app(), link.code)).headers.location).toBe(link.url);
  });

  test("B's list never shows A's links", async () => {
    const link = await createLink(app(), alice.auth);

    const response = await request(app()).get('/links').set(bob.auth).query({ limit: 100 });

    expect((response.body.items as Array<{ id: string }>).map((item) => item.id)).not.toContain(link.id);
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /links', () => request(app()).post('/links').send(aLink())],
    ['GET /links', () => request(app()).get('/links')],
    ['PATCH /links/:id', () => request(app()).patch(`/links/${unusedId()}`).send({ url: 'https://example.com/' })],
    ['DELETE /links/:id', () => request(app()).delete(`/links/${unusedId()}`)],
  ])('%s answers 401 problem+json with WWW-Authenticate, and writes nothing', async (_route, send) => {
    const before = await Link.countDocuments();

    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await Link.countDocuments()).toBe(before);
  });
});

describe('bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the url is missing', {}, 'url'],
    ['the url is blank', { url: '   ' }, 'url'],
    ['the url is over 2048 characters', { url: `https://example.com/${'a'.repeat(2040)}` }, 'url'],
    ['the url is a number', { url: 42 }, 'url'],
    ['the url is an operator object', { url: { $gt: '' } }, 'url'],
    ['the alias is too short', aLink({ alias: 'ab' }), 'alias'],
    ['the alias is too long', aLink({ alias: 'a'.repeat(33) }), 'alias'],
    ['the alias has a slash', aLink({ alias: 'a/b/c' }), 'alias'],
    ['the alias has a dot', aLink({ alias: 'file.txt' }), 'alias'],
    ['expiresAt is not a date', aLink({ expiresAt: 'tomorrow' }), 'expiresAt'],
    ['maxVisits is 0', aLink({ maxVisits: 0 }), 'maxVisits'],
    ['maxVisits is a fraction', aLink({ maxVisits: 1.5 }), 'maxVisits'],
    ['maxVisits is a string', aLink({ maxVisits: '5' }), 'maxVisits'],
    ['an unknown field is sent', aLink({ redirectType: 301 }), 'redirectType'],
  ])('POST /links: when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const before = await Link.countDocuments();

    const response = await request(app()).post('/links').set(alice.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await Link.countDocuments()).toBe(before);
  });

  test('owner, _id and createdAt in a body are accepted and ignored: the caller owns the link', async () => {
    const foreignId = unusedId();

    const response = await request(app())
      .post('/links')
      .set(alice.auth)
      .send(aLink({ owner: bob.user.id, _id: foreignId, createdAt: '2000-01-01T00:00:00.000Z' }));

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(foreignId);
    expect(String((await stored(response.body.id))?.owner)).toBe(alice.user.id);
  });

  test.each(['not-an-id', '$where'])('GET /links/%s answers 400 naming params.id', async (id) => {
    expectFieldProblem(await request(app()).get(`/links/${id}`).set(alice.auth), 'params', 'id');
  });

  test.each([...BAD_PAGE_QUERIES, ['an unknown parameter', { colour: 'red' }, 'colour'] as [string, Record<string, string>, string]])(
    'GET /links with %s answers 400 naming the field',
    async (_case, query, field) => {
      expectFieldProblem(await request(app()).get('/links').set(alice.auth).query(query), 'query', field);
    },
  );
});
