// Exercise 1: a per-account cooldown on reset mails, measured on the injected clock.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { ResetToken } from '../src/reset/reset-token.model.ts';
import { forgot, mailedLink, testApp } from '../test/support.ts';

// The clock the service runs on: the tests move it instead of waiting.
let at = Date.parse('2030-01-01T00:00:00Z');
const advance = (seconds: number) => (at += seconds * 1000);
const service = testApp({ env: { FORGOT_COOLDOWN_SECONDS: '300' }, now: () => new Date(at) });

const ACCEPTED = { message: 'If an account exists for that email, a reset link is on its way.' };

/** Asks for a link and waits for the background step (the lookup and the mail) to finish. */
async function forgotAndSettle(email: string) {
  const response = await forgot(service.app, email);
  await service.mailer.drain();
  return response;
}
const mailsTo = (email: string) => service.smtp.mails.filter((mail) => mail.to.includes(email)).length;

describe('exercise 1: a per-account reset cooldown (FORGOT_COOLDOWN_SECONDS)', () => {
  test('a second forgot within the cooldown answers the same 202 but mails nothing and stores no second token', async () => {
    const account = await signUp(service.app);
    const first = await forgotAndSettle(account.email);

    advance(299);
    const second = await forgotAndSettle(account.email);

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(ACCEPTED);
    expect(second.text).toBe(first.text);
    expect(mailsTo(account.email)).toBe(1);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(1);
  });

  test('once the cooldown has passed on the clock, it mails again; requests during the cooldown do not extend it', async () => {
    const account = await signUp(service.app);
    await forgotAndSettle(account.email);
    advance(200);
    await forgotAndSettle(account.email);

    advance(101);
    const response = await forgotAndSettle(account.email);

    expect(response.status).toBe(202);
    expect(mailsTo(account.email)).toBe(2);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(2);
  });

  test('other accounts are not held back: each gets its own mail at the same moment', async () => {
    const ada = await signUp(service.app);
    const bob = await signUp(service.app);

    await forgotAndSettle(ada.email);
    await forgotAndSettle(bob.email);

    expect([mailsTo(ada.email), mailsTo(bob.email)]).toEqual([1, 1]);
  });

  test('five forgots for one account at the same moment mail one link', async () => {
    const account = await signUp(service.app);

    const responses = await Promise.all(Array.from({ length: 5 }, () => forgot(service.app, account.email)));
    await service.mailer.drain();

    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
    expect(mailsTo(account.email)).toBe(1);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(1);
  });

  test('the link from the first mail still works during the cooldown', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);
    advance(10);

    await forgotAndSettle(account.email);

    expect((await request(service.app).get('/auth/password/reset').query({ token })).status).toBe(200);
  });
});
