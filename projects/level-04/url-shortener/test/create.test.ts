import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { CODE_LENGTH, randomCode, RESERVED_ALIASES } from '../src/links/codes.ts';
import { Link } from '../src/links/link.model.ts';
import { aLink, BASE_URL, stored, testService, unique, visit } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let service: ReturnType<typeof testService>;
let alice: TestAccount;

beforeAll(async () => {
  service = testService(redis);
  alice = await signUp(service.app);
});

const create = (body: Record<string, unknown>) => request(service.app).post('/links').set(alice.auth).send(body);
const count = () => Link.countDocuments({ owner: alice.user.id });

describe('POST /links', () => {
  test('answers 201 with the link, its short URL and Location, a random base62 code of 7, and stores it under the caller', async () => {
    const response = await create({ url: 'https://example.com/a/long/path?q=1' });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/links/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      code: expect.stringMatching(new RegExp(`^[A-Za-z0-9]{${CODE_LENGTH}}$`)),
      shortUrl: `${BASE_URL}/${response.body.code}`,
      url: 'https://example.com/a/long/path?q=1',
      expiresAt: null,
      maxVisits: null,
      visitsLeft: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await stored(response.body.id)).toMatchObject({ code: response.body.code, owner: expect.anything() });
    expect(String((await stored(response.body.id))?.owner)).toBe(alice.user.id);
  });

  test('with an alias, the alias is the code', async () => {
    const alias = unique('sale');

    const response = await create(aLink({ alias }));

    expect(response.status).toBe(201);
    expect(response.body.code).toBe(alias);
    expect(response.body.shortUrl).toBe(`${BASE_URL}/${alias}`);
  });

  test('an alias already taken answers 409 naming alias, and the first link is unchanged', async () => {
    const alias = unique('taken');
    const first = await create(aLink({ alias }));
    const bob = await signUp(service.app);

    const second = await request(service.app)
      .post('/links')
      .set(bob.auth)
      .send(aLink({ alias, url: 'https://example.org/' }));

    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'alias' })]);
    expect(await stored(first.body.id)).toMatchObject({ url: first.body.url });
    expect(await Link.countDocuments({ code: alias })).toBe(1);
  });

  test('two concurrent creates of one alias: exactly one 201, the other 409', async () => {
    const alias = unique('race');

    const responses = await Promise.all([create(aLink({ alias })), create(aLink({ alias }))]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(await Link.countDocuments({ code: alias })).toBe(1);
  });

  test.each([...RESERVED_ALIASES, 'DOCS', 'Health'])(
    'the reserved alias %s answers 400 naming alias, and nothing is stored',
    async (alias) => {
      const before = await count();

      const response = await create(aLink({ alias }));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ in: 'body', field: 'alias', message: expect.stringMatching(/reserved/) }),
      ]);
      expect(await count()).toBe(before);
    },
  );

  test('a link created with an alias that was just visited as unknown redirects at once (the cached "not found" is dropped)', async () => {
    const alias = unique('fresh');
    expect((await visit(service.app, alias)).status).toBe(404);

    await create(aLink({ alias, url: 'https://example.org/fresh' }));
    const after = await visit(service.app, alias);

    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('https://example.org/fresh');
  });
});

describe('random codes', () => {
  test('randomCode() makes base62 codes of the asked length, all different over 2000 draws', () => {
    const codes = Array.from({ length: 2000 }, () => randomCode());

    expect(codes.every((code) => /^[A-Za-z0-9]{7}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(2000);
    expect(randomCode(12)).toMatch(/^[A-Za-z0-9]{12}$/);
  });

  test('when a drawn code is taken, the insert fails on the unique index and another code is drawn', async () => {
    const taken = (await create(aLink())).body.code as string;
    const draws = [taken, taken, unique('x').slice(0, 12)];
    const colliding = testService(redis, { newCode: () => draws.shift() ?? 'never-reached' });

    const response = await request(colliding.app).post('/links').set(alice.auth).send(aLink());

    expect(response.status).toBe(201);
    expect(response.body.code).not.toBe(taken);
    expect(draws).toEqual([]);
    expect(await Link.countDocuments({ code: taken })).toBe(1);
  });

  test('when every draw collides, answers 503 problem+json after 5 tries and stores nothing', async () => {
    const taken = (await create(aLink())).body.code as string;
    let draws = 0;
    const stuck = testService(redis, {
      newCode: () => {
        draws += 1;
        return taken;
      },
    });
    const before = await count();

    const response = await request(stuck.app).post('/links').set(alice.auth).send(aLink());

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(draws).toBe(5);
    expect(await count()).toBe(before);
  });
});

describe('POST /links refuses targets that are not safe to send people to', () => {
  test.each([
    ['ftp://example.com/file', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['not a url', /absolute URL/],
    ['https://user:pw@example.com/', /user name or password/],
    ['http://sho.rt/abc', /point back at this service/],
    ['http://localhost:3403/links', /point back at this service/],
    ['http://127.0.0.1:27017/', /point back at this service/],
    ['http://[::1]/', /point back at this service/],
    ['http://127.1.2.3/', /public address/],
    ['http://10.1.2.3/', /public address/],
    ['http://192.168.1.1/admin', /public address/],
    ['http://169.254.169.254/latest/meta-data/', /public address/],
    ['http://metadata.evil.example/', /169\.254\.169\.254/],
    ['http://intranet.evil.example/', /10\.0\.0\.7/],
    ['http://no-such-host.invalid/', /does not resolve/],
  ])('%s answers 422 problem+json naming url, and nothing is stored', async (url, reason) => {
    const before = await count();

    const response = await create({ url });

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([{ in: 'body', field: 'url', message: expect.stringMatching(reason) }]);
    expect(await count()).toBe(before);
  });
});
