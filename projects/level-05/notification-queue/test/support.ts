// What this service's tests share: the app on this file's database and Redis keys, a recording
// queue whose jobs the tests run through the real handlers, a mailer that records or fails.
import { randomUUID } from 'node:crypto';
import type { Mail } from '@hub/core';
import { testConfig, useTestDatabase, useTestRedis } from '@hub/testkit';
import { afterAll, beforeAll } from '@jest/globals';
import type { Express } from 'express';
import type { Job } from 'bullmq';
import mongoose from 'mongoose';
import { Notification } from '../src/notifications/notification.model.ts';
import { buildApp } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import type { Enqueue, JobDataOf, JobName } from '../src/jobs.ts';
import { startLiveInbox, pushOn, type LiveInbox } from '../src/notifications/live-inbox.ts';
import { processJobs } from '../src/processor.ts';

export interface QueuedJob {
  name: JobName;
  data: JobDataOf[JobName];
  jobId: string;
  delay?: number | undefined;
  attemptsMade: number;
}

/** A queue in memory: keeps each job once per jobId, as BullMQ does. */
export function recordingQueue() {
  const jobs: QueuedJob[] = [];
  const enqueue: Enqueue = async (name, data, { jobId, delay }) => {
    if (!jobs.some((job) => job.jobId === jobId)) jobs.push({ name, data, jobId, delay, attemptsMade: 0 });
  };
  return { jobs, enqueue };
}

export function recordingMailer() {
  const mailer = {
    sent: [] as Mail[],
    /** Set true to make every send fail as an SMTP server that is down does. */
    failing: false,
    async send(mail: Mail) {
      if (mailer.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:1025');
      mailer.sent.push(mail);
      return { messageId: `<${randomUUID()}@test>` };
    },
  };
  return mailer;
}

/** The app and its worker-side handlers on this file's database and Redis; `now` can be moved. */
export function testApp() {
  useTestDatabase();
  const testRedis = useTestRedis();
  const queue = recordingQueue();
  const mailer = recordingMailer();
  const clock = { now: new Date('2030-01-01T12:00:00.000Z') };
  const now = () => clock.now;
  let app: Express | undefined;
  let live: LiveInbox | undefined;
  const config = testConfig(serviceConfig, { DIGEST_WINDOW_SECONDS: '60', DELIVERY_ATTEMPTS: '3' });
  beforeAll(async () => {
    live = startLiveInbox(testRedis.redis);
    await live.ready;
    app = buildApp({ config, db: mongoose.connection, redis: testRedis.redis, enqueue: queue.enqueue, live, now });
  });
  afterAll(async () => {
    await live?.close();
  });
  const handlers = () =>
    processJobs({
      enqueue: queue.enqueue,
      mailer,
      push: pushOn(testRedis.redis),
      now,
      leaseMs: 30_000,
      digestWindowMs: config.DIGEST_WINDOW_SECONDS * 1000,
    });
  /** Runs one job as the worker would; a failure counts as an attempt, as in BullMQ. */
  const run = async (job: QueuedJob) => {
    const fake = { name: job.name, data: job.data, attemptsMade: job.attemptsMade, opts: { attempts: config.DELIVERY_ATTEMPTS } };
    try {
      return await handlers()(fake as unknown as Job);
    } catch (error) {
      job.attemptsMade += 1;
      throw error;
    }
  };
  /** Runs queued jobs (not delayed ones unless asked) until none is left; failed jobs are retried up to the attempts. */
  const drain = async ({ delayed = false }: { delayed?: boolean } = {}) => {
    const done = new Set<QueuedJob>();
    for (;;) {
      const next = queue.jobs.find((job) => !done.has(job) && (delayed || !job.delay));
      if (!next) return;
      try {
        await run(next);
        done.add(next);
      } catch {
        if (next.attemptsMade >= config.DELIVERY_ATTEMPTS) done.add(next);
      }
    }
  };
  /** The queued job with this id; fails the test when there is none. */
  const job = (jobId: string) => {
    const found = queue.jobs.find((queued) => queued.jobId === jobId);
    if (!found) throw new Error(`no job ${jobId} was queued`);
    return found;
  };
  return {
    job,
    get app() {
      if (!app) throw new Error('testApp(): the app exists from beforeAll on');
      return app;
    },
    get live() {
      if (!live) throw new Error('testApp(): live exists from beforeAll on');
      return live;
    },
    config,
    clock,
    queue,
    mailer,
    run,
    drain,
    handlers,
  };
}

/** A valid POST /events body; override any field. */
export const anEvent = (recipients: string[], overrides: Record<string, unknown> = {}) => ({
  type: 'comment.created',
  recipients,
  title: `Ada commented ${randomUUID().slice(0, 6)}`,
  body: 'Nice post!',
  ...overrides,
});

export const unusedId = () => new mongoose.Types.ObjectId().toHexString();

/** The notification stored for an event (the first recipient's); fails the test when there is none. */
export async function notificationOf(eventId: string) {
  const found = await Notification.findOne({ events: eventId }).lean();
  if (!found) throw new Error(`no notification for event ${eventId}`);
  return found;
}
