import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createQueue } from '@hub/core/queue';
import { listen, signUp, TEST_ENV, testConfig, useTestDatabase, useTestRedis, useTestSmtp } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { enqueueOn, QUEUE_NAME } from '../src/jobs.ts';
import { startLiveInbox, type LiveInbox } from '../src/notifications/live-inbox.ts';
import { Notification } from '../src/notifications/notification.model.ts';
import { anEvent } from './support.ts';

// The real thing: the web app adds to a BullMQ queue, and `pnpm worker` (src/worker.ts) runs in a
// child process of its own, on this file's database, Redis prefix and SMTP server.

const database = useTestDatabase();
const testRedis = useTestRedis();
const smtp = useTestSmtp();
const prefix = `test-${randomUUID().slice(0, 8)}`;
let app: Express;
let live: LiveInbox;
let queue: ReturnType<typeof createQueue>;
let worker: ChildProcess;

beforeAll(async () => {
  const config = testConfig(serviceConfig);
  queue = createQueue(QUEUE_NAME, { url: testRedis.url, prefix }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
  live = startLiveInbox(testRedis.redis);
  await live.ready;
  app = buildApp({ config, db: mongoose.connection, redis: testRedis.redis, enqueue: enqueueOn(queue), live });
  const mongoUrl = new URL(database.url);
  mongoUrl.pathname = `/${mongoose.connection.name}`;
  worker = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/worker.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      ...TEST_ENV,
      LOG_LEVEL: 'error',
      MONGO_URL: mongoUrl.toString(),
      REDIS_URL: testRedis.url,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtp.url,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
});

afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await live.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
});

/** Waits for a condition the worker process brings about (it runs on its own, so there is no clock to move). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the worker process (pnpm worker)', () => {
  test('takes the fan-out off the queue: the email arrives, the in-app notification is stored and pushed on the SSE stream; SIGTERM exits 0', async () => {
    const [producer, ada] = await Promise.all([signUp(app), signUp(app)]);
    const server = await listen(app);
    try {
      const stream = get(`${server.url}/notifications/stream`, { headers: ada.auth });
      const [response] = (await once(stream, 'response')) as [IncomingMessage];
      response.setEncoding('utf8');
      let text = '';
      const streamed = new Promise<string>((resolve) => {
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('event: notification')) resolve(text);
        });
      });
      await eventually(
        async () => text,
        (said) => said.includes(': connected'),
      );

      const published = await request(app)
        .post('/events')
        .set(producer.auth)
        .send(anEvent([ada.user.id], { title: 'From the worker' }));
      expect(published.status).toBe(202);

      const mail = await smtp.next(ada.user.email, 10_000);
      expect(mail.subject).toBe('From the worker');
      expect(await streamed).toContain('"title":"From the worker"');
      const notification = await eventually(
        () => Notification.findOne({ events: published.body.id }).lean(),
        (found) => found !== null,
      );
      const deliveries = await eventually(
        () => Delivery.find({ notification: notification?._id }).lean(),
        (found) => found.every((delivery) => delivery.status === 'sent'),
      );
      expect(deliveries.map((delivery) => delivery.status)).toEqual(['sent', 'sent']);
      stream.destroy();
    } finally {
      await server.close();
    }

    worker.kill('SIGTERM');
    const [code] = (await once(worker, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 20_000);
});
