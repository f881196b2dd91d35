import { beforeAll, describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { AuditEntry } from '../src/audit/audit-entry.model.ts';
import { Flag } from '../src/flags/flag.model.ts';
import { promote } from '../src/promote.ts';
import { accountWith, aFlag, createFlag, unique, useInstances } from './support.ts';

useTestDatabase();
const instances = useInstances();
const app = () => instances.first.app;
let admin: TestAccount;
let owner: TestAccount;
let user: TestAccount;

beforeAll(async () => {
  [admin, owner, user] = await Promise.all([accountWith(app(), 'admin'), accountWith(app(), 'owner'), accountWith(app(), 'user')]);
});

const stored = (key: string) => Flag.findOne({ key }).lean();
const auditOf = (key: string) => AuditEntry.find({ flagKey: key }).sort({ createdAt: 1, _id: 1 }).lean();

describe('POST /flags', () => {
  test('an admin creates a flag: 201 with Location and ETag "1", every environment spelled out, stored, audited', async () => {
    const key = unique();

    const response = await request(app())
      .post('/flags')
      .set(admin.auth)
      .send({ key, description: ' New checkout ', environments: { development: { enabled: true, fallthrough: 'on' } } });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/flags/${key}`);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body).toEqual({
      key,
      description: 'New checkout',
      variants: { on: true, off: false },
      offVariant: 'off',
      environments: {
        development: { enabled: true, targets: [], rules: [], rollout: null, fallthrough: 'on' },
        production: { enabled: false, targets: [], rules: [], rollout: null, fallthrough: 'off' },
      },
      salt: expect.stringMatching(/^[0-9a-f]{16}$/),
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await stored(key)).toMatchObject({ key, version: 1, salt: response.body.salt });
    const [entry, ...more] = await auditOf(key);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ action: 'create', before: null, after: response.body });
    expect(String(entry?.actor?.id)).toBe(admin.user.id);
    expect(entry?.actor?.role).toBe('admin');
  });

  test('a key that exists already answers 409 and changes nothing', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app())
      .post('/flags')
      .set(owner.auth)
      .send(aFlag({ key: flag.key, description: 'again' }));

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await stored(flag.key)).toMatchObject({ description: 'a test flag', version: 1 });
    expect(await auditOf(flag.key)).toHaveLength(1);
  });

  test('of 5 concurrent creates of one key, exactly one is 201 and four are 409; one flag, one audit entry', async () => {
    const key = unique();

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(app()).post('/flags').set(admin.auth).send(aFlag({ key }))),
    );

    expect(responses.map(({ status }) => status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await Flag.countDocuments({ key })).toBe(1);
    expect(await auditOf(key)).toHaveLength(1);
  });
});

describe('GET /flags and GET /flags/:key', () => {
  test('anyone signed in reads a flag with its ETag; the same ETag in If-None-Match answers 304', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).get(`/flags/${flag.key}`).set(user.auth);
    const again = await request(app()).get(`/flags/${flag.key}`).set(user.auth).set('If-None-Match', '"1"');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(flag);
    expect(response.headers.etag).toBe('"1"');
    expect(again.status).toBe(304);
  });

  test('an unknown key answers 404 problem+json', async () => {
    const response = await request(app()).get(`/flags/${unique()}`).set(user.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test('the listing is sorted by key, by page and by cursor', async () => {
    const prefix = unique('list');
    for (const suffix of ['c', 'a', 'b']) await createFlag(app(), admin, { key: `${prefix}-${suffix}` });
    const keysOf = (response: request.Response) =>
      (response.body.items as Array<{ key: string }>).map(({ key }) => key).filter((key) => key.startsWith(prefix));

    const all = await request(app()).get('/flags').set(user.auth).query({ limit: 100 });
    const first = await request(app()).get('/flags').set(user.auth).query({ limit: 1 });
    const next = await request(app()).get('/flags').set(user.auth).query({ limit: 1, cursor: first.body.nextCursor });

    expect(all.status).toBe(200);
    expect(keysOf(all)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    expect(next.body.items[0].key > first.body.items[0].key).toBe(true);
  });
});

describe('PUT /flags/:key', () => {
  test('with the current If-Match: 200, version + 1, new ETag; the audit entry holds who, before and after', async () => {
    const flag = await createFlag(app(), admin);
    const edited = { ...flag, environments: { production: { enabled: true, rollout: { variant: 'on', percentage: 25 } } } };

    const response = await request(app()).put(`/flags/${flag.key}`).set(owner.auth).set('If-Match', '"1"').send(edited);

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.body).toMatchObject({ version: 2, salt: flag.salt, createdAt: flag.createdAt });
    expect(response.body.environments.production).toEqual({
      enabled: true,
      targets: [],
      rules: [],
      rollout: { variant: 'on', percentage: 25 },
      fallthrough: 'off',
    });
    expect(response.body.environments.development.enabled).toBe(false);
    expect(await stored(flag.key)).toMatchObject({ version: 2, environments: response.body.environments });
    const entries = await auditOf(flag.key);
    expect(entries.map(({ action }) => action)).toEqual(['create', 'update']);
    expect(entries[1]).toMatchObject({ before: flag, after: response.body, actor: { role: 'owner' } });
    expect(String(entries[1]?.actor?.id)).toBe(owner.user.id);
  });

  test('version in the body stands in for If-Match; a stale one answers 409 and writes nothing', async () => {
    const flag = await createFlag(app(), admin);
    await request(app())
      .put(`/flags/${flag.key}`)
      .set(admin.auth)
      .send({ ...flag, description: 'first' });

    const stale = await request(app())
      .put(`/flags/${flag.key}`)
      .set(admin.auth)
      .send({ ...flag, description: 'second' });

    expect(stale.status).toBe(409);
    expect(stale.headers.etag).toBe('"2"');
    expect(await stored(flag.key)).toMatchObject({ version: 2, description: 'first' });
  });

  test('a stale If-Match answers 412 problem+json with the current ETag, and nothing is written or audited', async () => {
    const flag = await createFlag(app(), admin);
    await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({ description: 'first' });

    const stale = await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({ description: 'second' });

    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.headers.etag).toBe('"2"');
    expect(await stored(flag.key)).toMatchObject({ version: 2, description: 'first' });
    expect(await auditOf(flag.key)).toHaveLength(2);
  });

  test('two admins who read version 1 and save at once: exactly one 200, one 412, version 2, one update audited', async () => {
    const flag = await createFlag(app(), admin);

    const responses = await Promise.all(
      ['from admin', 'from owner'].map((description, index) =>
        request(app())
          .put(`/flags/${flag.key}`)
          .set((index === 0 ? admin : owner).auth)
          .set('If-Match', '"1"')
          .send({ description }),
      ),
    );

    expect(responses.map(({ status }) => status).sort()).toEqual([200, 412]);
    expect(await stored(flag.key)).toMatchObject({ version: 2 });
    expect((await auditOf(flag.key)).filter(({ action }) => action === 'update')).toHaveLength(1);
  });

  test('without If-Match or version: 428 naming the header, nothing written', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).put(`/flags/${flag.key}`).set(admin.auth).send({ description: 'blind' });

    expect(response.status).toBe(428);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'headers', field: 'if-match' })]);
    expect(await stored(flag.key)).toMatchObject({ version: 1, description: 'a test flag' });
  });

  test('an unknown key answers 404, not 412', async () => {
    const response = await request(app()).put(`/flags/${unique()}`).set(admin.auth).set('If-Match', '"1"').send({});

    expect(response.status).toBe(404);
  });
});

describe('DELETE /flags/:key', () => {
  test('an owner deletes with the current If-Match: 204, gone, audited with before and after null', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).delete(`/flags/${flag.key}`).set(owner.auth).set('If-Match', '"1"');

    expect(response.status).toBe(204);
    expect(await stored(flag.key)).toBeNull();
    const entries = await auditOf(flag.key);
    expect(entries.map(({ action }) => action)).toEqual(['create', 'delete']);
    expect(entries[1]).toMatchObject({ before: flag, after: null });
  });

  test('a stale If-Match answers 412 and the flag survives; none answers 428', async () => {
    const flag = await createFlag(app(), admin);
    await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({});

    const stale = await request(app()).delete(`/flags/${flag.key}`).set(owner.auth).set('If-Match', '"1"');
    const blind = await request(app()).delete(`/flags/${flag.key}`).set(owner.auth);

    expect(stale.status).toBe(412);
    expect(blind.status).toBe(428);
    expect(await stored(flag.key)).not.toBeNull();
  });
});

describe('who may do what', () => {
  test('a user may read but not create, change, delete or read the audit: 403, nothing written', async () => {
    const flag = await createFlag(app(), admin);
    const before = await Flag.countDocuments();

    const answers = await Promise.all([
      request(app()).post('/flags').set(user.auth).send(aFlag()),
      request(app()).put(`/flags/${flag.key}`).set(user.auth).set('If-Match', '"1"').send({ description: 'mine now' }),
      request(app()).delete(`/flags/${flag.key}`).set(user.auth).set('If-Match', '"1"'),
      request(app()).get('/audit').set(user.auth),
    ]);

    expect(answers.map(({ status }) => status)).toEqual([403, 403, 403, 403]);
    expect(await Flag.countDocuments()).toBe(before);
    expect(await stored(flag.key)).toMatchObject({ version: 1, description: 'a test flag' });
  });

  test('an admin may not delete: only an owner can (403, the flag survives)', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).delete(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"');

    expect(response.status).toBe(403);
    expect(await stored(flag.key)).not.toBeNull();
  });

  test.each([
    ['POST /flags', () => request(app()).post('/flags').send(aFlag())],
    ['GET /flags', () => request(app()).get('/flags')],
    ['GET /flags/:key', () => request(app()).get('/flags/some-flag')],
    ['PUT /flags/:key', () => request(app()).put('/flags/some-flag').set('If-Match', '"1"').send({})],
    ['DELETE /flags/:key', () => request(app()).delete('/flags/some-flag').set('If-Match', '"1"')],
    ['GET /audit', () => request(app()).get('/audit')],
  ])('%s without a valid token answers 401 problem+json', async (_route, send) => {
    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('GET /audit', () => {
  test("lists every change newest first, with actor, before and after; ?flag= narrows it to one flag's", async () => {
    const flag = await createFlag(app(), admin);
    await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({ description: 'edited' });
    await request(app()).delete(`/flags/${flag.key}`).set(owner.auth).set('If-Match', '"2"');
    await createFlag(app(), admin);

    const mine = await request(app()).get('/audit').set(admin.auth).query({ flag: flag.key });
    const all = await request(app()).get('/audit').set(owner.auth).query({ limit: 100 });

    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(3);
    expect(mine.body.items.map(({ action }: { action: string }) => action)).toEqual(['delete', 'update', 'create']);
    expect(mine.body.items[0]).toMatchObject({
      flagKey: flag.key,
      actor: { id: owner.user.id, role: 'owner' },
      before: { version: 2 },
      after: null,
    });
    expect(mine.body.items[1]).toMatchObject({
      actor: { id: admin.user.id },
      before: { description: 'a test flag' },
      after: { description: 'edited' },
    });
    expect(all.body.total).toBeGreaterThan(3);
    expect(all.body.items.map(({ flagKey }: { flagKey: string }) => flagKey)).toContain(flag.key);
  });
});

describe('the promote script', () => {
  test('gives an account a role and says what changed; the next login carries it', async () => {
    const account = await accountWith(app(), 'user');

    expect(await promote([account.email, 'admin'])).toBe(`${account.email}: user → admin`);
    const login = await request(app()).post('/auth/login').send({ email: account.email, password: account.password });
    expect(login.body.user.role).toBe('admin');
  });

  test('refuses an unknown role or email, printing the usage, and changes nothing', async () => {
    const account = await accountWith(app(), 'user');

    await expect(promote([account.email, 'superuser'])).rejects.toThrow(/usage: pnpm --filter level-04\/feature-flags promote/);
    await expect(promote(['nobody@example.com', 'owner'])).rejects.toThrow(/No account with the email nobody@example.com/);
    expect((await User.findById(account.user.id).lean())?.role).toBe('user');
  });
});
