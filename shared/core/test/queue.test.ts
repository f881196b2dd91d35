import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, test } from '@jest/globals';
import { useTestRedis } from '@hub/testkit';
import type { Job, Queue, Worker } from 'bullmq';
import { checkNoEviction, createQueue, createWorker, evenRate, runWorkers } from '../src/queue.ts';
import { captureLogs } from './support.ts';

const testRedis = useTestRedis();
const url = process.env.REDIS_URL ?? '';
// BullMQ's own prefix: each file its own keys (ioredis' keyPrefix is refused by BullMQ).
const prefix = `test-${randomUUID().slice(0, 8)}`;
const opened: Array<Queue | Worker> = [];
afterAll(async () => {
  await Promise.all(opened.map((each) => each.close()));
});

function pair<Data, Result>(processor: (job: Job<Data>) => Promise<Result>) {
  const name = `q-${randomUUID().slice(0, 8)}`;
  const queue = createQueue<Data, Result>(name, { url, prefix }, { removeOnComplete: 10 });
  const worker = createWorker<Data, Result>(name, processor, { url, prefix, concurrency: 2 });
  opened.push(queue, worker);
  return { name, queue, worker };
}

/** The job's result once it completed, or its error once its last attempt failed. */
const completion = (worker: Worker, id: string | undefined) =>
  new Promise<unknown>((done, fail) => {
    worker.on('completed', (job, result) => job.id === id && done(result));
    worker.on('failed', (job, error) => job !== undefined && job.id === id && job.attemptsMade >= (job.opts.attempts ?? 1) && fail(error));
  });

describe('createQueue() and createWorker()', () => {
  test('a job added to the queue is run by the worker, and its result is kept on the job', async () => {
    const { queue, worker } = pair<{ a: number; b: number }, number>(async (job) => job.data.a + job.data.b);

    const job = await queue.add('sum', { a: 2, b: 3 });
    expect(await completion(worker, job.id)).toBe(5);
    expect((await queue.getJob(job.id ?? ''))?.returnvalue).toBe(5);
  });

  test("keys carry BullMQ's prefix, so two prefixes are two separate sets of queues", async () => {
    const { name, queue } = pair(async () => 'done');
    await queue.add('one', {}, { delay: 60_000 });

    expect(await testRedis.redis.keys(`${prefix}:${name}:*`)).not.toEqual([]);
    const other = createQueue(name, { url, prefix: `${prefix}-other` });
    opened.push(other);
    expect(await other.getDelayedCount()).toBe(0);
    expect(await queue.getDelayedCount()).toBe(1);
  });

  test.each(['with:colon', '', 'has space', '-leading', 'x'.repeat(65)])('refuses the queue name %j before touching Redis', (name) => {
    expect(() => createQueue(name, { url, prefix })).toThrow(/Queue name/);
    expect(() => createWorker(name, async () => undefined, { url, prefix })).toThrow(/Queue name/);
  });

  test('a failed attempt is logged once with its job and attempt count; the job is retried as asked', async () => {
    const logs = captureLogs();
    let runs = 0;
    const { queue, worker } = pair(async () => {
      runs += 1;
      if (runs === 1) throw new Error('flaky downstream');
      return 'ok';
    });

    const job = await queue.add('retry', {}, { attempts: 2 });
    expect(await completion(worker, job.id)).toBe('ok');
    expect(runs).toBe(2);
    expect(logs.json().filter((line) => String(line.message).includes('flaky downstream'))).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining(`/${job.id} failed (1 of 2): flaky downstream`) }),
    ]);
    logs.restore();
  });
});

describe('evenRate()', () => {
  test.each([
    [10, { max: 1, duration: 100 }],
    [3, { max: 1, duration: 334 }], // never over: 2.99 a second, not 3.003
    [1, { max: 1, duration: 1000 }],
    [0.5, { max: 1, duration: 2000 }],
    [150, { max: 2, duration: 14 }], // 142.9 a second
    [999, { max: 10, duration: 11 }],
    [1_000, { max: 10, duration: 10 }],
    [2_500, { max: 25, duration: 10 }],
  ])('%s a second is one window of %j', (perSecond, limiter) => {
    expect(evenRate(perSecond)).toEqual(limiter);
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the rate %s', (perSecond) => {
    expect(() => evenRate(perSecond)).toThrow(/positive number/);
  });
});

describe('checkNoEviction()', () => {
  test('lets a Redis with maxmemory-policy noeviction through (the test engine runs with it)', async () => {
    await expect(checkNoEviction(testRedis.redis)).resolves.toBeUndefined();
  });

  test('refuses a Redis that may evict keys, naming its policy and the fix', async () => {
    const evicting = { config: async () => ['maxmemory-policy', 'allkeys-lru'] } as unknown as Parameters<typeof checkNoEviction>[0];

    await expect(checkNoEviction(evicting)).rejects.toThrow(/maxmemory-policy is allkeys-lru: .*Set it to noeviction/);
  });

  test('lets a Redis that hides its config through, with a warning', async () => {
    const logs = captureLogs();
    const hidden = {
      config: async () => {
        throw new Error("ERR unknown command 'config'");
      },
    } as unknown as Parameters<typeof checkNoEviction>[0];

    await expect(checkNoEviction(hidden)).resolves.toBeUndefined();
    expect(logs.json()).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('make sure it is noeviction') }),
    ]);
    logs.restore();
  });
});

describe('runWorkers()', () => {
  test('stop() lets a running job finish, then closes the dependencies, and is not cut off', async () => {
    let started = () => {};
    let release = () => {};
    const running = new Promise<void>((done) => (started = done));
    const { queue, worker } = pair(async () => {
      started();
      await new Promise<void>((done) => (release = done));
      return 'finished';
    });
    const job = await queue.add('long', {});
    const result = completion(worker, job.id);
    await running;

    const closed: string[] = [];
    const workers = runWorkers([worker], {
      shutdownTimeoutMs: 5_000,
      onClose: [async () => closed.push('mongo'), async () => closed.push('mailer')],
      handleSignals: false,
    });
    const stopped = workers.stop();
    await sleep(50);
    expect(closed).toEqual([]); // still waiting for the job
    release();
    await stopped;

    expect(await result).toBe('finished');
    expect(closed).toEqual(['mongo', 'mailer']);
    expect(workers.cutOff).toBe(false);
  });

  test('a job still running at the deadline is abandoned: stop() returns after it, cut off', async () => {
    let started = () => {};
    let release = () => {};
    const running = new Promise<void>((done) => (started = done));
    const { queue, worker } = pair(async () => {
      started();
      await new Promise<void>((done) => (release = done)); // ends only when the test is over
    });
    await queue.add('stuck', {});
    await running;

    const before = Date.now();
    const workers = runWorkers([worker], { shutdownTimeoutMs: 200, handleSignals: false });
    const logs = captureLogs();
    await workers.stop();
    logs.restore();

    expect(Date.now() - before).toBeGreaterThanOrEqual(190);
    expect(workers.cutOff).toBe(true);
    expect(logs.json().map((line) => line.message)).toContainEqual(expect.stringContaining('Jobs still running after 200 ms'));
    release();
  });
});
