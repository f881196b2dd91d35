import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis } from '@hub/testkit';
import request from 'supertest';
import { promote } from '../src/promote.ts';
import { testApp, storedRole } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('promote (the operator script behind `pnpm --filter level-03/rbac promote <email> <role>`)', () => {
  test('gives an existing account the role, says what changed, and the next request with its old token has it', async () => {
    const app = testApp(redis.redis);
    const ada = await signUp(app);

    const said = await promote([ada.email, 'admin']);

    expect(said).toBe(`${ada.email}: user → admin`);
    expect(await storedRole(ada.user.id)).toBe('admin');
    expect((await request(app).get('/users').set(ada.auth)).status).toBe(200);
  });

  test('finds the account by its email trimmed and lower-cased, as signup stored it', async () => {
    const ada = await signUp(testApp(redis.redis));

    await promote([`  ${ada.email.toUpperCase()} `, 'moderator']);

    expect(await storedRole(ada.user.id)).toBe('moderator');
  });

  test('when no account has that email, fails saying so and changes nothing', async () => {
    await expect(promote(['nobody-here@example.com', 'admin'])).rejects.toThrow(/No account with the email nobody-here@example\.com/);
  });

  test.each([
    ['an unknown role', (email: string) => [email, 'root']],
    ['a role in capitals', (email: string) => [email, 'ADMIN']],
    ['no role', (email: string) => [email]],
    ['an extra argument', (email: string) => [email, 'admin', 'now']],
    ['the arguments swapped', (email: string) => ['admin', email]],
    ['no arguments', () => []],
  ])('with %s, fails with the usage line and changes nothing', async (_case, argsFor) => {
    const ada = await signUp(testApp(redis.redis));

    await expect(promote(argsFor(ada.email))).rejects.toThrow(/usage: pnpm --filter level-03\/rbac promote <email> <role>/);
    expect(await storedRole(ada.user.id)).toBe('user');
  });
});
