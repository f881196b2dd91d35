import { RefreshToken, sha256, User, verifyPassword } from '@hub/core';
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import request from 'supertest';
import { login, mailedLink, NEW_PASSWORD, PASSWORD, resetPassword, storedResetToken, testApp } from './support.ts';
import { checkResetUrl } from '../src/reset/reset.mail.ts';

const service = testApp();

/** Every document in every collection of this file's database, as one string. */
async function wholeDatabase(): Promise<string> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  const collections = await db.listCollections().toArray();
  const dumps = await Promise.all(collections.map(({ name }) => db.collection(name).find().toArray()));
  return JSON.stringify(dumps);
}

describe('forgot → mail → link → reset', () => {
  test('the mailed link starts with RESET_URL, checks out, resets the password; the new password logs in and the old one does not', async () => {
    const { app, config, smtp } = service;
    const account = await signUp(app);

    const { link, token } = await mailedLink(service, account.email);
    expect(link.startsWith(`${checkResetUrl(config)}?token=`)).toBe(true);

    const followed = await request(app).get(link.slice(link.indexOf('/auth/')));
    expect(followed.status).toBe(200);
    expect(followed.body).toEqual({ valid: true, expiresAt: expect.any(String) });

    const reset = await resetPassword(app, token, NEW_PASSWORD);
    expect(reset.status).toBe(204);

    expect((await login(app, account.email, NEW_PASSWORD)).status).toBe(200);
    expect((await login(app, account.email, PASSWORD)).status).toBe(401);
    const notice = await smtp.next(account.email);
    expect(notice.subject).toBe('Your password was changed');
  });

  test('following the link does not use it up: it can be checked twice and still resets once', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);

    const first = await request(service.app).get('/auth/password/reset').query({ token });
    const second = await request(service.app).get('/auth/password/reset').query({ token });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await storedResetToken(token))?.usedAt).toBeNull();
    expect((await resetPassword(service.app, token)).status).toBe(204);
  });

  test('the link page is sent with Referrer-Policy: no-referrer and Cache-Control: no-store', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);

    const response = await request(service.app).get('/auth/password/reset').query({ token });

    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('what is stored', () => {
  test('only the SHA-256 of the token is stored: the token from the mail is nowhere in the database', async () => {
    const account = await signUp(service.app);

    const { token } = await mailedLink(service, account.email);

    const everything = await wholeDatabase();
    expect(everything).not.toContain(token);
    expect(everything).toContain(sha256(token));
    const stored = await storedResetToken(token);
    expect(String(stored?.user)).toBe(account.user.id);
    expect(stored?.usedAt).toBeNull();
  });

  test('the new password is stored as a bcrypt hash', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);

    await resetPassword(service.app, token, NEW_PASSWORD);

    const user = await User.findById(account.user.id).select('+passwordHash').lean();
    expect(user?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await verifyPassword(NEW_PASSWORD, user?.passwordHash, service.config.BCRYPT_COST)).toBe(true);
  });
});

describe('POST /auth/password/reset', () => {
  test('when the token was already used, answers 400 invalid-reset-token and the password stays', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);
    await resetPassword(service.app, token, NEW_PASSWORD);

    const again = await resetPassword(service.app, token, 'the attacker password');

    expect(again.status).toBe(400);
    expect(again.body.type).toBe('urn:backend-hub:problem:invalid-reset-token');
    expect((await login(service.app, account.email, NEW_PASSWORD)).status).toBe(200);
  });

  test('when the token is unknown, answers 400 invalid-reset-token to GET and POST', async () => {
    const unknown = 'A'.repeat(43);

    const checked = await request(service.app).get('/auth/password/reset').query({ token: unknown });
    const posted = await resetPassword(service.app, unknown);

    for (const response of [checked, posted]) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.type).toBe('urn:backend-hub:problem:invalid-reset-token');
    }
  });

  test('a reset retires every other link mailed to the account', async () => {
    const account = await signUp(service.app);
    const older = await mailedLink(service, account.email);
    const newer = await mailedLink(service, account.email);

    expect((await resetPassword(service.app, newer.token)).status).toBe(204);

    expect((await resetPassword(service.app, older.token, 'another new passphrase')).status).toBe(400);
    expect((await storedResetToken(older.token))?.usedAt).toBeInstanceOf(Date);
  });
});

describe('sessions after a reset', () => {
  test('a reset revokes existing refresh tokens: one from before answers 401 after', async () => {
    const account = await signUp(service.app);
    const secondDevice = (await login(service.app, account.email, PASSWORD)).body.refreshToken as string;
    const { token } = await mailedLink(service, account.email);

    await resetPassword(service.app, token);

    for (const refreshToken of [account.refreshToken, secondDevice]) {
      const response = await request(service.app).post('/auth/refresh').send({ refreshToken });
      expect(response.status).toBe(401);
    }
    expect(await RefreshToken.countDocuments({ user: account.user.id, revokedAt: null })).toBe(0);
  });

  test('an access token issued before the reset keeps working until it expires (the cost of stateless JWTs)', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);

    await resetPassword(service.app, token);

    const me = await request(service.app).get('/auth/me').set(account.auth);
    expect(me.status).toBe(200);
  });
});
