// What the password-reset tests share: the app on this file's database, Redis keys and SMTP catcher.
import { createMailer, sha256, type Mailer } from '@hub/core';
import { testConfig, useTestDatabase, useTestRedis, useTestSmtp } from '@hub/testkit';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig, type ServiceConfig } from '../src/config.ts';
import { ResetToken } from '../src/reset/reset-token.model.ts';

export const PASSWORD = 'correct horse battery';
export const NEW_PASSWORD = 'a brand new passphrase';

/**
 * The config in tests. Proxy headers are trusted so a test can speak from several client IPs
 * (X-Forwarded-For), and the forgot limits are raised: only test/limits.test.ts is about them.
 */
export const testServiceConfig = (env: Record<string, string> = {}): ServiceConfig =>
  testConfig(serviceConfig, {
    TRUST_PROXY: '1',
    FORGOT_MAX_PER_IP: '1000',
    FORGOT_MAX_PER_ACCOUNT: '100',
    FORGOT_MAX_MAILS_PER_ACCOUNT: '100',
    ...env,
  });

export interface TestApp {
  readonly app: Express;
  readonly config: ServiceConfig;
  readonly mailer: Mailer;
  readonly smtp: ReturnType<typeof useTestSmtp>;
  readonly redis: ReturnType<typeof useTestRedis>;
}

/**
 * Registers this file's database, Redis keys and SMTP server, and builds the app on them once
 * they run (beforeAll). `env` overrides config keys; `now` is the clock reset tokens expire by.
 */
export function testApp({ env = {}, now }: { env?: Record<string, string>; now?: () => Date } = {}): TestApp {
  useTestDatabase();
  const redis = useTestRedis();
  const smtp = useTestSmtp();
  let built: { app: Express; config: ServiceConfig; mailer: Mailer } | undefined;
  beforeAll(() => {
    const config = testServiceConfig({ SMTP_URL: smtp.url, ...env });
    const mailer = createMailer(config);
    built = { app: buildApp({ config, db: mongoose.connection, redis: redis.redis, mailer, ...(now ? { now } : {}) }), config, mailer };
  });
  afterAll(async () => {
    await built?.mailer.close();
  });
  const ready = () => {
    if (!built) throw new Error('testApp(): the app exists from beforeAll on');
    return built;
  };
  return {
    get app() {
      return ready().app;
    },
    get config() {
      return ready().config;
    },
    get mailer() {
      return ready().mailer;
    },
    smtp,
    redis,
  };
}

export const forgot = (app: Express, email: unknown) => request(app).post('/auth/password/forgot').send({ email });
export const login = (app: Express, email: string, password: string) => request(app).post('/auth/login').send({ email, password });
export const resetPassword = (app: Express, token: string, password: string = NEW_PASSWORD) =>
  request(app).post('/auth/password/reset').send({ token, password });

/** The one link in a mail's text. */
export function linkIn(text: string): string {
  const links = text.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  return links[0] as string;
}

/** Asks for a reset link for `email` and reads it out of the mail that arrives over SMTP. */
export async function mailedLink({ app, smtp }: TestApp, email: string): Promise<{ link: string; token: string }> {
  const response = await forgot(app, email);
  expect(response.status).toBe(202);
  const mail = await smtp.next(email);
  expect(mail.subject).toBe('Reset your password');
  const link = linkIn(mail.text);
  return { link, token: new URL(link).searchParams.get('token') ?? '' };
}

/** The stored reset token for a token the client holds (read by its hash: the only way it is stored). */
export const storedResetToken = (token: string) => ResetToken.findOne({ tokenHash: sha256(token) }).lean();
