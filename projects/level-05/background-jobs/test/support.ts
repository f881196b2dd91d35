// What this service's tests share: the app on this file's database, Redis and queue; an in-process worker; valid bodies.
import { randomUUID } from 'node:crypto';
import { testConfig, testTokens, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import { afterAll, beforeAll } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig, type ServiceConfig } from '../src/config.ts';
import { jobsQueue, jobsWorker, type JobsQueue, type ReportDeps, type ReportJob, type ReportResult } from '../src/jobs/jobs.worker.ts';

export interface TestApp {
  readonly app: Express;
  readonly config: ServiceConfig;
  readonly queue: JobsQueue;
  /** The file's MongoDB URL, database name included: for a worker in a child process. */
  readonly mongoUrl: string;
  /** A worker in this process on the file's queue, closed after the file. */
  startWorker(deps?: Partial<ReportDeps>): Worker<ReportJob, ReportResult>;
  /** An admin's Authorization header (a token signed for this service with role admin). */
  adminAuth(): { Authorization: string };
}

/**
 * Registers this file's database and Redis, and builds the app on them with a queue of its own
 * (QUEUE_PREFIX unique to the file) once they run (beforeAll). Steps take 20 ms and retries
 * back off about 1 ms here, so a job takes milliseconds; `env` overrides config keys.
 */
export function testApp({ env = {} }: { env?: Record<string, string> } = {}): TestApp {
  const database = useTestDatabase();
  const redis = useTestRedis();
  const closing: Array<() => Promise<unknown>> = [];
  let built: { app: Express; config: ServiceConfig; queue: JobsQueue } | undefined;
  beforeAll(() => {
    const config = testConfig(serviceConfig, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
      JOB_STEP_MS: '20',
      JOB_BACKOFF_MS: '1',
      EVENTS_POLL_MS: '20',
      ...env,
    });
    const queue = jobsQueue(config);
    closing.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
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
    get mongoUrl() {
      const url = new URL(database.url);
      url.pathname = `/${database.name}`;
      return url.toString();
    },
    startWorker(deps = {}) {
      const worker = jobsWorker(ready().config, deps);
      closing.push(() => worker.close());
      return worker;
    },
    adminAuth() {
      const { config } = ready();
      const tokens = testTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: 'level-05/background-jobs' });
      return { Authorization: `Bearer ${tokens.valid({ id: new mongoose.Types.ObjectId().toHexString(), role: 'admin' })}` };
    },
  };
}

export const unique = (prefix = 'report') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid POST /jobs body; override any field. */
export const aJob = (overrides: Record<string, unknown> = {}) => ({ type: 'report', title: unique(), steps: 3, ...overrides });

/** POST /jobs as `account`. */
export const submit = (app: Express, account: TestAccount | { auth: Record<string, string> }, body: Record<string, unknown> = aJob()) =>
  request(app).post('/jobs').set(account.auth).send(body);

/** A valid ObjectId that no job has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();

/** Resolves with `check()`'s value once it is not undefined, asking every 10 ms. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The job's view (GET /jobs/:id) once its state is one of `states`. */
export const settled = (
  app: Express,
  account: { auth: Record<string, string> },
  id: string,
  states = ['completed', 'failed'],
  timeoutMs?: number,
) =>
  eventually(
    async () => {
      const { body } = await request(app).get(`/jobs/${id}`).set(account.auth);
      return states.includes(body.state)
        ? (body as { state: string; attemptsMade: number; progress: number; failedReason: string | null })
        : undefined;
    },
    `in state ${states.join(' or ')}`,
    timeoutMs,
  );
