import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { login, mailedLink, NEW_PASSWORD, resetPassword, storedResetToken, testApp } from './support.ts';

// The clock reset tokens expire by: stopped, and moved by the tests, so no test waits 15 minutes.
let clock = new Date('2026-11-23T09:00:00.000Z');
const service = testApp({ now: () => clock });

const minutes = (count: number, seconds = 0) => (count * 60 + seconds) * 1000;

/** A fresh account and a reset link mailed to it at the current (stopped) time. */
async function linkMailedAt(at: Date) {
  clock = at;
  const account = await signUp(service.app);
  const { token } = await mailedLink(service, account.email);
  return { account, token };
}

describe('reset tokens expire after RESET_TTL_SECONDS (15 minutes)', () => {
  test('the token is stored with expiresAt 15 minutes after it was mailed', async () => {
    const mailedAt = new Date('2026-11-23T10:00:00.000Z');

    const { token } = await linkMailedAt(mailedAt);

    expect((await storedResetToken(token))?.expiresAt.getTime()).toBe(mailedAt.getTime() + minutes(15));
  });

  test('at 14:59 the link checks out and the reset works', async () => {
    const mailedAt = new Date('2026-11-23T11:00:00.000Z');
    const { account, token } = await linkMailedAt(mailedAt);
    clock = new Date(mailedAt.getTime() + minutes(14, 59));

    const checked = await request(service.app).get('/auth/password/reset').query({ token });
    const reset = await resetPassword(service.app, token, NEW_PASSWORD);

    expect(checked.status).toBe(200);
    expect(checked.body.expiresAt).toBe(new Date(mailedAt.getTime() + minutes(15)).toISOString());
    expect(reset.status).toBe(204);
    expect((await login(service.app, account.email, NEW_PASSWORD)).status).toBe(200);
  });

  test('at 15:01 the link answers 400 invalid-reset-token, the reset is refused and the password stays', async () => {
    const mailedAt = new Date('2026-11-23T12:00:00.000Z');
    const { account, token } = await linkMailedAt(mailedAt);
    clock = new Date(mailedAt.getTime() + minutes(15, 1));

    const checked = await request(service.app).get('/auth/password/reset').query({ token });
    const reset = await resetPassword(service.app, token, NEW_PASSWORD);

    for (const response of [checked, reset]) {
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:backend-hub:problem:invalid-reset-token');
    }
    expect((await storedResetToken(token))?.usedAt).toBeNull();
    expect((await login(service.app, account.email, account.password)).status).toBe(200);
  });
});

describe('a login ends REFRESH_FAMILY_MAX_SECONDS (30 days) after it began, however often it is refreshed', () => {
  const days = (count: number) => count * 86_400 * 1000;
  const refresh = (refreshToken: unknown) => request(service.app).post('/auth/refresh').send({ refreshToken });

  test('refreshExpiresIn counts down to the 30th day, and a refresh after it answers 401 invalid-refresh-token', async () => {
    const loggedInAt = new Date('2026-12-01T09:00:00.000Z');
    clock = loggedInAt;
    const account = await signUp(service.app);
    clock = new Date(loggedInAt.getTime() + days(13));
    const first = await refresh(account.refreshToken);
    clock = new Date(loggedInAt.getTime() + days(26));
    const second = await refresh(first.body.refreshToken);

    clock = new Date(loggedInAt.getTime() + days(30) + 1000);
    const pastTheEnd = await refresh(second.body.refreshToken);

    // REFRESH_TTL_SECONDS is 14 days: at day 13 all of them are left, at day 26 only 4 of the family's.
    expect([first.body.refreshExpiresIn, second.body.refreshExpiresIn]).toEqual([14 * 86_400, 4 * 86_400]);
    expect(pastTheEnd.status).toBe(401);
    expect(pastTheEnd.body.type).toBe('urn:backend-hub:problem:invalid-refresh-token');
  });
});
