import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { ResetToken } from '../src/reset/reset-token.model.ts';
import { forgot, testApp } from './support.ts';

const ACCEPTED = { message: 'If an account exists for that email, a reset link is on its way.' };

const service = testApp({
  env: { FORGOT_MAX_PER_IP: '3', FORGOT_MAX_PER_ACCOUNT: '2', FORGOT_MAX_MAILS_PER_ACCOUNT: '3', FORGOT_WINDOW_SECONDS: '600' },
});

// Every test speaks from its own client IPs, so one test's per-IP counter never reaches another's.
const fromIp = (ip: string) => (response: ReturnType<typeof forgot>) => response.set('X-Forwarded-For', ip);
const nobody = (n: number) => `nobody-${n}-${Date.now()}@example.com`;

function expectTooManyRequests(response: Response) {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.type).toBe('urn:backend-hub:problem:too-many-requests');
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(600);
}

describe('POST /auth/password/forgot, per client IP', () => {
  test('after FORGOT_MAX_PER_IP requests from one IP, answers 429 with Retry-After, for unknown emails too', async () => {
    const ip = fromIp('203.0.113.1');
    const statuses: number[] = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await ip(forgot(service.app, nobody(n)))).status);

    const refused = await ip(forgot(service.app, nobody(3)));

    expect(statuses).toEqual([202, 202, 202]);
    expectTooManyRequests(refused);
  });

  test('the per-IP limit runs before validation: requests with a bad body count as well', async () => {
    const ip = fromIp('203.0.113.2');
    await ip(forgot(service.app, 'not an email'));
    await ip(forgot(service.app, { $gt: '' }));
    await ip(forgot(service.app, nobody(0)));

    const refused = await ip(forgot(service.app, nobody(1)));

    expectTooManyRequests(refused);
  });

  test("another IP is not held back by the first one's limit", async () => {
    const busy = fromIp('203.0.113.3');
    for (let n = 0; n < 4; n += 1) await busy(forgot(service.app, nobody(n)));

    const response = await fromIp('203.0.113.4')(forgot(service.app, nobody(9)));

    expect(response.status).toBe(202);
  });
});

describe('POST /auth/password/forgot, per email and client IP', () => {
  test('after FORGOT_MAX_PER_ACCOUNT requests for one email from one IP, that IP gets 429 with Retry-After and mails no more links', async () => {
    const account = await signUp(service.app);
    const ip = fromIp('203.0.113.10');
    const first = await ip(forgot(service.app, account.email));
    const second = await ip(forgot(service.app, account.email.toUpperCase()));

    const refused = await ip(forgot(service.app, account.email));
    await service.mailer.drain();

    expect([first.status, second.status]).toEqual([202, 202]);
    expectTooManyRequests(refused);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(2);
    expect(service.smtp.mails.filter((mail) => mail.to.includes(account.email))).toHaveLength(2);
  });

  test("an attacker spending that limit from one IP does not stop the owner's own request: 202, and the link arrives", async () => {
    const account = await signUp(service.app);
    const attacker = fromIp('203.0.113.13');
    for (let n = 0; n < 3; n += 1) await attacker(forgot(service.app, account.email));
    await service.mailer.drain();
    const mailedBefore = service.smtp.mails.filter((mail) => mail.to.includes(account.email)).length;

    const owner = await fromIp('198.51.100.13')(forgot(service.app, account.email));
    await service.mailer.drain();

    expect(owner.status).toBe(202);
    expect(service.smtp.mails.filter((mail) => mail.to.includes(account.email))).toHaveLength(mailedBefore + 1);
  });

  test('an unknown email is limited at the same count, so a 429 tells nothing about whether an account exists', async () => {
    const email = nobody(0);
    const ip = fromIp('203.0.113.20');
    const statuses: number[] = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await ip(forgot(service.app, email))).status);

    expect(statuses).toEqual([202, 202, 429]);
  });
});

describe('POST /auth/password/forgot, mails per email', () => {
  test('past FORGOT_MAX_MAILS_PER_ACCOUNT mails for one email (from any IPs), requests still get the same 202 but nothing more is mailed', async () => {
    const account = await signUp(service.app);
    const answers: Response[] = [];
    for (let n = 0; n < 5; n += 1) answers.push(await fromIp(`203.0.113.${30 + n}`)(forgot(service.app, account.email)));
    await service.mailer.drain();

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(answers.map((answer) => answer.body)).toEqual(Array(5).fill(ACCEPTED));
    expect(service.smtp.mails.filter((mail) => mail.to.includes(account.email))).toHaveLength(3);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(3);
  });

  test('the mail quota counts per email: another account still gets its link', async () => {
    const flooded = await signUp(service.app);
    const other = await signUp(service.app);
    for (let n = 0; n < 4; n += 1) await fromIp(`203.0.113.${40 + n}`)(forgot(service.app, flooded.email));

    const response = await fromIp('203.0.113.49')(forgot(service.app, other.email));

    expect(response.status).toBe(202);
    expect((await service.smtp.next(other.email)).subject).toBe('Reset your password');
  });
});
