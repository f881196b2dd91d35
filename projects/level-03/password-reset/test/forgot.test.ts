import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createMailer } from '@hub/core';
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import type { Response } from 'supertest';
import { buildApp } from '../src/app.ts';
import { ResetToken } from '../src/reset/reset-token.model.ts';
import { forgot, linkIn, testServiceConfig, testApp } from './support.ts';

// A front-end page on another origin: the link must point there, whoever the request claims to be.
const RESET_URL = 'https://app.example.test/account/reset-password';
// evil.example is a name this service answers to here on purpose: even a Host that passes the
// Host check (a proxy's alias, a careless ALLOWED_HOSTS) must not reach the link.
const service = testApp({ env: { RESET_URL, ALLOWED_HOSTS: 'evil.example' } });

const ACCEPTED = { message: 'If an account exists for that email, a reset link is on its way.' };
const nobody = () => `nobody-${Math.random().toString(36).slice(2, 10)}@example.com`;

/**
 * The headers of an answer without the ones that differ on every request anyway: the request id,
 * the date, the stage timings, and the limit counters' partition keys (a hash of the IP and of the
 * email asked about, which the caller already knows).
 */
function comparableHeaders(response: Response): Record<string, string> {
  const { 'x-request-id': _id, date: _date, 'server-timing': _timing, ...rest } = response.headers as Record<string, string>;
  return { ...rest, 'ratelimit-policy': String(rest['ratelimit-policy']).replace(/pk=:[^:]*:/g, 'pk=:…:') };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('POST /auth/password/forgot', () => {
  test('for a known and an unknown email, answers 202 with an identical body and identical headers', async () => {
    const account = await signUp(service.app);

    // Each from its own client IP, so both per-IP counters stand at the same count.
    const known = await forgot(service.app, account.email).set('X-Forwarded-For', '198.51.100.1');
    const unknown = await forgot(service.app, nobody()).set('X-Forwarded-For', '198.51.100.2');

    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(ACCEPTED);
    expect(unknown.text).toBe(known.text);
    expect(comparableHeaders(unknown)).toEqual(comparableHeaders(known));
    // No database command finished before the answer went out: the lookup happens after it.
    expect(known.headers['server-timing']).not.toMatch(/\bdb;/);
    await service.smtp.next(account.email);
  });

  test('for an unknown email, creates no token and sends no mail', async () => {
    const email = nobody();
    const tokensBefore = await ResetToken.countDocuments();

    const response = await forgot(service.app, email);
    await service.mailer.drain();

    expect(response.status).toBe(202);
    expect(await ResetToken.countDocuments()).toBe(tokensBefore);
    expect(service.smtp.mails.filter((mail) => mail.to.includes(email))).toHaveLength(0);
  });

  test('matches the account whatever the case and spacing of the email', async () => {
    const account = await signUp(service.app);

    const response = await forgot(service.app, `  ${account.email.toUpperCase()} `);

    expect(response.status).toBe(202);
    expect((await service.smtp.next(account.email)).subject).toBe('Reset your password');
  });

  test('the 202 does not wait for SMTP: with a mail server that never answers, it still comes back', async () => {
    // Accepts the connection and then says nothing, not even the SMTP greeting.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const config = testServiceConfig({ RESET_URL, SMTP_URL: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    const mailer = createMailer(config);
    const app = buildApp({ config, db: mongoose.connection, redis: service.redis.redis, mailer });
    const account = await signUp(app);
    const mailerConnected = once(silent, 'connection');

    // A handler that waited for the mail would hang here until nodemailer's 30 s greeting timeout.
    const response = await forgot(app, account.email).timeout(5_000);
    await mailerConnected;

    expect(response.status).toBe(202);
    expect(response.body).toEqual(ACCEPTED);
    // The mail for this request is still stuck waiting for the greeting: end it, so the send fails now.
    silent.close();
    for (const socket of sockets) socket.destroy();
    await mailer.close();
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(1);
  });

  test('a known and an unknown email take the same time (medians of 20 alternating requests each)', async () => {
    const account = await signUp(service.app);
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await forgot(service.app, email);
      expect(response.status).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];

    for (let round = 0; round < 20; round += 1) {
      known.push(await timed(account.email));
      unknown.push(await timed(nobody()));
    }
    await service.mailer.drain();

    // Generous: the structural proof is the test above; this only catches a handler that waits for the mail.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(25);
  });

  test('the link uses RESET_URL even when the request says Host: evil.example and X-Forwarded-Host: evil.example', async () => {
    const account = await signUp(service.app);

    const response = await forgot(service.app, account.email)
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'http');

    expect(response.status).toBe(202);
    const link = linkIn((await service.smtp.next(account.email)).text);
    expect(link.startsWith(`${RESET_URL}?token=`)).toBe(true);
    expect(link).not.toContain('evil');
  });

  test('a Host the service does not answer to gets 421, and no reset token is made', async () => {
    const account = await signUp(service.app);

    const response = await forgot(service.app, account.email).set('Host', 'rebind.attacker.example');

    expect(response.status).toBe(421);
    expect(await ResetToken.countDocuments({ user: account.user.id })).toBe(0);
  });
});
