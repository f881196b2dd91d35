// What this service's tests share: the app on this file's database, Redis and queue; an in-process worker; valid bodies.
import { randomUUID } from 'node:crypto';
import { createMailer, type Mail, type Mailer, type Redis } from '@hub/core';
import { testConfig, testTokens, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import { afterAll, beforeAll } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig, type ServiceConfig } from '../src/config.ts';
import { Email } from '../src/emails/email.model.ts';
import type { EmailQueue } from '../src/emails/emails.service.ts';
import { emailQueue, emailWorker, type DeliveryResult } from '../src/emails/emails.worker.ts';
import type { EmailJob } from '../src/emails/emails.service.ts';

export interface TestApp {
  readonly app: Express;
  readonly config: ServiceConfig;
  readonly queue: EmailQueue;
  /** The file's Redis client (its keys carry the file's prefix), and the keys matching a pattern, without that prefix. */
  readonly redis: Redis;
  redisKeys(pattern: string): Promise<string[]>;
  /** The file's MongoDB URL, database name included: for a worker in a child process. */
  readonly mongoUrl: string;
  /** A worker in this process on the file's queue, closed after the file; `mailer` defaults to one on `smtpUrl`. */
  startWorker(options?: {
    mailer?: Pick<Mailer, 'send'>;
    smtpUrl?: string;
    env?: Record<string, string>;
  }): Worker<EmailJob, DeliveryResult>;
  /** An admin's Authorization header (a token signed for this service with role admin). */
  adminAuth(): { Authorization: string };
}

/**
 * Registers this file's database and Redis keys, and builds the app on them with a queue of
 * its own (QUEUE_PREFIX unique to the file) once they run (beforeAll). Retries back off 1 ms
 * here, so six attempts take milliseconds; `env` overrides config keys.
 */
export function testApp({ env = {} }: { env?: Record<string, string> } = {}): TestApp {
  const database = useTestDatabase();
  const redis = useTestRedis();
  const closing: Array<() => Promise<unknown>> = [];
  let built: { app: Express; config: ServiceConfig; queue: EmailQueue } | undefined;
  const configWith = (more: Record<string, string> = {}) =>
    testConfig(serviceConfig, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
      SEND_BACKOFF_MS: '1',
      ...env,
      ...more,
    });
  beforeAll(() => {
    const config = configWith();
    const queue = emailQueue(config);
    closing.push(() => queue.close());
    built = { app: buildApp({ config, db: mongoose.connection, redis: redis.redis, queue }), config, queue };
  });
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
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
    get queue() {
      return ready().queue;
    },
    get redis() {
      return redis.redis;
    },
    async redisKeys(pattern) {
      const keys = await redis.redis.keys(`${redis.prefix}${pattern}`);
      return keys.map((key) => key.slice(redis.prefix.length));
    },
    get mongoUrl() {
      const url = new URL(database.url);
      url.pathname = `/${database.name}`;
      return url.toString();
    },
    startWorker({ mailer, smtpUrl, env: more = {} } = {}) {
      const config = { ...ready().config, ...configWith(more), QUEUE_PREFIX: ready().config.QUEUE_PREFIX };
      const sender = mailer ?? createMailer({ ...config, SMTP_URL: smtpUrl ?? config.SMTP_URL });
      const worker = emailWorker(config, { mailer: sender });
      closing.push(async () => {
        await worker.close();
        if (!mailer) await (sender as Mailer).close();
      });
      return worker;
    },
    adminAuth() {
      const { config } = ready();
      const tokens = testTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: 'level-05/email-queue' });
      return { Authorization: `Bearer ${tokens.valid({ id: new mongoose.Types.ObjectId().toHexString(), role: 'admin' })}` };
    },
  };
}

export const unique = (prefix = 'to') => `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
export const newKey = () => `"${randomUUID()}"`;

/** A valid POST /emails body; override any field. */
export const anEmail = (overrides: Record<string, unknown> = {}) => ({
  to: unique(),
  subject: 'Your receipt',
  text: 'Thank you for your order.',
  ...overrides,
});

/** POST /emails as `account`, with an Idempotency-Key (a fresh one unless given; null: none). */
export const submit = (app: Express, account: TestAccount, body: Record<string, unknown> = anEmail(), key: string | null = newKey()) => {
  const pending = request(app).post('/emails').set(account.auth);
  return (key === null ? pending : pending.set('Idempotency-Key', key)).send(body);
};

/** Resolves once the email's status is one of `statuses` in MongoDB (the worker runs in the background). */
export async function settled(id: string, statuses: string[] = ['sent', 'dead'], timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const email = await Email.findById(id).lean();
    if (email && statuses.includes(email.status)) return email;
    if (Date.now() > deadline) throw new Error(`email ${id} is still ${email?.status ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A mailer that fails as nodemailer does (an error with `code` and the SMTP `responseCode`) for
 * its first `failures` sends, then accepts; `sent` keeps what it accepted, `calls` counts tries.
 */
export function failingMailer(error: { code: string; responseCode?: number; message: string }, failures = Number.POSITIVE_INFINITY) {
  const sent: Mail[] = [];
  const state = { calls: 0, sent };
  const mailer: Pick<Mailer, 'send'> = {
    async send(mail) {
      state.calls += 1;
      if (state.calls <= failures) throw Object.assign(new Error(error.message), error);
      sent.push(mail);
      return { messageId: `<${randomUUID()}@test>` };
    },
  };
  return Object.assign(state, { mailer });
}
