import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { accountWith, testApp, storedRole } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let user: TestAccount;
let moderator: TestAccount;
let admin: TestAccount;

beforeAll(async () => {
  app = testApp(redis.redis);
  [user, moderator, admin] = await Promise.all([accountWith(app, 'user'), accountWith(app, 'moderator'), accountWith(app, 'admin')]);
});

describe('PATCH /users/:id/role', () => {
  test("when an admin changes another account's role, answers 200 with the account and the new role is stored", async () => {
    const target = await signUp(app);

    const response = await request(app).patch(`/users/${target.user.id}/role`).set(admin.auth).send({ role: 'moderator' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: target.user.id, email: target.email, role: 'moderator', createdAt: target.user.createdAt });
    expect(await storedRole(target.user.id)).toBe('moderator');
  });

  test.each([
    ['a user', () => user],
    ['a moderator', () => moderator],
  ])("when %s changes another account's role, answers 403 and the stored role is unchanged", async (_who, caller) => {
    const target = await accountWith(app, 'moderator');

    const response = await request(app).patch(`/users/${target.user.id}/role`).set(caller().auth).send({ role: 'user' });

    expect(response.status).toBe(403);
    expect(await storedRole(target.user.id)).toBe('moderator');
  });

  test.each([
    ['its id as given', (id: string) => id],
    ['its id in capitals', (id: string) => id.toUpperCase()],
  ])('when an admin changes their own role (%s), answers 403 own-role and they stay admin', async (_case, spell) => {
    const self = await accountWith(app, 'admin');

    const response = await request(app)
      .patch(`/users/${spell(self.user.id)}/role`)
      .set(self.auth)
      .send({ role: 'user' });

    expect(response.status).toBe(403);
    expect(response.body.type).toBe('urn:backend-hub:problem:own-role');
    expect(await storedRole(self.user.id)).toBe('admin');
  });

  test('when no account has that id, answers 404 and creates nothing', async () => {
    const id = '0123456789abcdef01234567';

    const response = await request(app).patch(`/users/${id}/role`).set(admin.auth).send({ role: 'admin' });

    expect(response.status).toBe(404);
    expect(await storedRole(id)).toBeUndefined();
  });
});

describe('GET /users', () => {
  test('answers an admin with a page of accounts and their roles, never a password hash', async () => {
    const response = await request(app).get('/users').set(admin.auth).query({ limit: 100 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ limit: 100, page: 1, total: expect.any(Number) });
    const ids = (response.body.items as Array<{ id: string }>).map((account) => account.id);
    expect(ids).toEqual(expect.arrayContaining([user.user.id, moderator.user.id, admin.user.id]));
    expect(response.body.items).toContainEqual({
      id: moderator.user.id,
      email: moderator.email,
      role: 'moderator',
      createdAt: moderator.user.createdAt,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  test('?role=moderator lists only moderators', async () => {
    const response = await request(app).get('/users').set(admin.auth).query({ role: 'moderator', limit: 100 });

    expect(response.status).toBe(200);
    const roles = new Set((response.body.items as Array<{ role: string }>).map((account) => account.role));
    expect([...roles]).toEqual(['moderator']);
    expect((response.body.items as Array<{ id: string }>).map((account) => account.id)).toContain(moderator.user.id);
  });
});
