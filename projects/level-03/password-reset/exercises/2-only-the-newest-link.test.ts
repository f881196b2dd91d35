// Exercise 2: only the newest reset link works; asking again retires the older ones.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { forgot, login, mailedLink, NEW_PASSWORD, PASSWORD, resetPassword, storedResetToken, testApp } from '../test/support.ts';

// At most two mails per email: the third request is answered 202 and mails nothing.
const service = testApp({ env: { FORGOT_MAX_MAILS_PER_ACCOUNT: '2' } });

const inspect = (token: string) => request(service.app).get('/auth/password/reset').query({ token });

describe('exercise 2: only the newest link works', () => {
  test('after a second mail, the first link is refused (400 invalid-reset-token) and changes nothing; the second one resets', async () => {
    const account = await signUp(service.app);
    const first = await mailedLink(service, account.email);
    const second = await mailedLink(service, account.email);

    const followed = await inspect(first.token);
    const used = await resetPassword(service.app, first.token);

    expect(followed.status).toBe(400);
    expect(used.status).toBe(400);
    expect(used.body.type).toBe('urn:backend-hub:problem:invalid-reset-token');
    expect((await login(service.app, account.email, PASSWORD)).status).toBe(200);
    // Retired (usedAt set) or deleted: either way no longer an unused token.
    expect((await storedResetToken(first.token))?.usedAt).not.toBeNull();
    expect((await inspect(second.token)).status).toBe(200);
    expect((await resetPassword(service.app, second.token)).status).toBe(204);
    expect((await login(service.app, account.email, NEW_PASSWORD)).status).toBe(200);
  });

  test('another account’s link keeps working', async () => {
    const ada = await signUp(service.app);
    const bob = await signUp(service.app);
    const bobs = await mailedLink(service, bob.email);

    await mailedLink(service, ada.email);
    await mailedLink(service, ada.email);

    expect((await inspect(bobs.token)).status).toBe(200);
  });

  test('a request that mails nothing (for an unknown email, or past the mail cap) retires nothing: the newest link still works', async () => {
    const account = await signUp(service.app);
    await mailedLink(service, account.email);
    const newest = await mailedLink(service, account.email);

    const pastTheCap = await forgot(service.app, account.email);
    const unknown = await forgot(service.app, `nobody-${account.email}`);
    await service.mailer.drain();

    expect([pastTheCap.status, unknown.status]).toEqual([202, 202]);
    expect(service.smtp.mails.filter((mail) => mail.to.includes(account.email))).toHaveLength(2);
    expect((await inspect(newest.token)).status).toBe(200);
  });
});
