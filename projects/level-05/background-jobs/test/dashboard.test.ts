import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { promote } from '../src/promote.ts';
import { testApp } from './support.ts';

const service = testApp();
let alice: TestAccount;

beforeAll(async () => {
  alice = await signUp(service.app);
});

/** The session cookie POST /admin/session set, as `name=value` for a Cookie header. */
const cookieOf = (response: request.Response) => String(response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';

describe('the queue dashboard at /admin/queues', () => {
  test('without a token answers 401 problem+json', async () => {
    const response = await request(service.app).get('/admin/queues');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test('with a bad token, or a bad session cookie, answers 401', async () => {
    const bearer = await request(service.app).get('/admin/queues').set('Authorization', 'Bearer not-a-jwt');
    const cookie = await request(service.app).get('/admin/queues').set('Cookie', 'bj_admin=not-a-jwt');

    expect([bearer.status, cookie.status]).toEqual([401, 401]);
  });

  test("a user's token answers 403 problem+json, on the page and on the board's API", async () => {
    const page = await request(service.app).get('/admin/queues').set(alice.auth);
    const api = await request(service.app).get('/admin/queues/api/queues').set(alice.auth);

    expect([page.status, api.status]).toEqual([403, 403]);
    expect(page.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test("an admin gets the board's HTML, whose scripts and styles all come from the same mount (the CSP's 'self'), and they load", async () => {
    const page = await request(service.app).get('/admin/queues').set(service.adminAuth());
    const scripts = [...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? '');
    const asset = await request(service.app).get(`/admin/queues/${scripts[0]}`).set(service.adminAuth());

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<base href="/admin/queues/"');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((src) => src.startsWith('static/'))).toBe(true);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  test("the board's API lists this service's queue to an admin", async () => {
    const response = await request(service.app).get('/admin/queues/api/queues').set(service.adminAuth());

    expect(response.status).toBe(200);
    expect((response.body.queues as Array<{ name: string }>).map((queue) => queue.name)).toEqual(['jobs']);
  });
});

describe('POST /admin/session', () => {
  test('for an admin sets an httpOnly, SameSite=Strict cookie for /admin, with which a browser opens the board', async () => {
    const session = await request(service.app).post('/admin/session').set(service.adminAuth());
    const page = await request(service.app).get('/admin/queues').set('Cookie', cookieOf(session));
    const api = await request(service.app).get('/admin/queues/api/queues').set('Cookie', cookieOf(session));

    expect(session.status).toBe(204);
    const header = String(session.headers['set-cookie']?.[0]);
    expect(header).toMatch(/^bj_admin=[\w.-]+;/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/admin/);
    expect(header).toMatch(/Max-Age=900/);
    expect(page.status).toBe(200);
    expect(api.status).toBe(200);
  });

  test('for a user answers 403 and sets no cookie; without a token 401', async () => {
    const user = await request(service.app).post('/admin/session').set(alice.auth);
    const none = await request(service.app).post('/admin/session');

    expect(user.status).toBe(403);
    expect(user.headers['set-cookie']).toBeUndefined();
    expect(none.status).toBe(401);
  });

  test('DELETE clears the cookie', async () => {
    const response = await request(service.app).delete('/admin/session');

    expect(response.status).toBe(204);
    expect(String(response.headers['set-cookie']?.[0])).toMatch(/^bj_admin=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe('the promote script (how a learner gets an admin for the dashboard)', () => {
  test('makes an account an admin: after logging in again, its token opens the dashboard', async () => {
    const ada = await signUp(service.app);

    const said = await promote([ada.email, 'admin']);
    const login = await request(service.app).post('/auth/login').send({ email: ada.email, password: ada.password });
    const page = await request(service.app).get('/admin/queues').set('Authorization', `Bearer ${login.body.accessToken}`);

    expect(said).toBe(`${ada.email}: user → admin`);
    expect(page.status).toBe(200);
  });

  test('refuses an unknown role or email, changing nothing', async () => {
    await expect(promote([alice.email, 'superuser'])).rejects.toThrow(/usage: pnpm --filter level-05\/background-jobs promote/);
    await expect(promote(['nobody@example.com', 'admin'])).rejects.toThrow(/No account with the email nobody@example.com/);
    expect((await request(service.app).get('/admin/queues').set(alice.auth)).status).toBe(403);
  });
});
