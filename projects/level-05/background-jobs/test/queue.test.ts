import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, type TestAccount } from '@hub/testkit';
import { UnrecoverableError, type Job as QueuedJob, type Worker } from 'bullmq';
import mongoose from 'mongoose';
import request from 'supertest';
import { jobsWorker, retryDelay, runReport, type ReportJob } from '../src/jobs/jobs.worker.ts';
import { Report } from '../src/jobs/report.model.ts';
import { aJob, eventually, settled, submit, testApp } from './support.ts';

// Three attempts; the queue keeps at most 2 completed and 2 failed jobs.
const service = testApp({ env: { JOB_ATTEMPTS: '3', KEEP_COMPLETED: '2', KEEP_FAILED: '2' } });
let alice: TestAccount;
let worker: Worker | undefined;

beforeAll(async () => {
  alice = await signUp(service.app);
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe('retryDelay(): exponential backoff with jitter', () => {
  test('the n-th retry waits between half and all of base × 2^(n−1), as the random draw says', () => {
    const at = (random: number) => [1, 2, 3, 4].map((n) => retryDelay(n, 1_000, { random: () => random }));

    expect(at(0)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(at(0.5)).toEqual([750, 1_500, 3_000, 6_000]);
    expect(at(1)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  test('never waits longer than maxMs, however many retries came before', () => {
    expect(retryDelay(30, 1_000, { maxMs: 60_000, random: () => 1 })).toBe(60_000);
    expect(retryDelay(30, 1_000, { maxMs: 60_000, random: () => 0 })).toBe(30_000);
  });

  test('two workers failing at the same moment draw different delays with the real random source', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelay(5, 1_000)));

    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(8_000);
  });
});

describe('retries', () => {
  test('the worker waits a jittered backoff before the next attempt: after one failure the job is delayed by half to all of JOB_BACKOFF_MS', async () => {
    worker = jobsWorker(
      { ...service.config, JOB_BACKOFF_MS: 60_000 },
      {
        beforeStep: () => {
          throw new Error('database blip');
        },
      },
    );
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));

    const delayed = await settled(service.app, alice, job.id, ['delayed']);
    const queued = await service.queue.getJob(job.id);

    expect(delayed).toMatchObject({ state: 'delayed', attemptsMade: 1, failedReason: 'database blip' });
    expect(queued?.delay).toBeGreaterThanOrEqual(30_000);
    expect(queued?.delay).toBeLessThanOrEqual(60_000);
    await queued?.remove();
  });

  test('cancelling a job that waits for its retry fails it at once with reason "cancelled": it is never retried', async () => {
    worker = jobsWorker(
      { ...service.config, JOB_BACKOFF_MS: 60_000 },
      {
        beforeStep: () => {
          throw new Error('database blip');
        },
      },
    );
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));
    await settled(service.app, alice, job.id, ['delayed']);

    const response = await request(service.app).post(`/jobs/${job.id}/cancel`).set(alice.auth);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ state: 'failed', failedReason: 'cancelled' });
    expect(await service.queue.getJobState(job.id)).toBe('unknown');
  });

  test('a job that keeps failing is tried JOB_ATTEMPTS times, then fails with the last reason', async () => {
    let calls = 0;
    worker = service.startWorker({
      beforeStep: () => {
        calls += 1;
        throw new Error(`attempt ${calls} failed`);
      },
    });
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));

    const done = await settled(service.app, alice, job.id, ['failed']);

    expect(done).toMatchObject({ state: 'failed', attemptsMade: 3, failedReason: 'attempt 3 failed' });
    expect(calls).toBe(3);
    expect(await Report.countDocuments({ _id: job.id })).toBe(0);
  });

  test('a job that fails twice, then succeeds, completes on its third attempt with one report', async () => {
    let calls = 0;
    worker = service.startWorker({
      beforeStep: () => {
        calls += 1;
        if (calls <= 2) throw new Error('not yet');
      },
    });
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));

    const done = await settled(service.app, alice, job.id, ['completed', 'failed']);

    expect(done).toMatchObject({ state: 'completed', attemptsMade: 3 });
    expect(calls).toBe(3);
    expect(await Report.countDocuments({ _id: job.id })).toBe(1);
  });

  test('an UnrecoverableError fails the job at once: one attempt, no retry', async () => {
    let calls = 0;
    worker = service.startWorker({
      beforeStep: () => {
        calls += 1;
        throw new UnrecoverableError('the report template is broken');
      },
    });
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));

    const done = await settled(service.app, alice, job.id, ['failed']);

    expect(done).toMatchObject({ state: 'failed', attemptsMade: 1, failedReason: 'the report template is broken' });
    expect(calls).toBe(1);
  });
});

describe('retention', () => {
  test('after N + k finished jobs the queue keeps only the newest N (KEEP_COMPLETED, KEEP_FAILED); reports stay in MongoDB', async () => {
    let failing = new Set<string>();
    worker = service.startWorker({
      beforeStep: (job) => {
        if (failing.has(job.data.title)) throw new UnrecoverableError('no');
      },
    });
    const failTitles = ['fail 1', 'fail 2', 'fail 3'];
    failing = new Set(failTitles);
    const ids: string[] = [];
    for (const title of ['done 1', 'done 2', 'done 3', 'done 4', ...failTitles]) {
      const { body } = await submit(service.app, alice, aJob({ title, steps: 1 }));
      ids.push(body.id);
    }

    await eventually(async () => {
      const counts = await service.queue.getJobCounts('completed', 'failed', 'active', 'waiting');
      return counts.active === 0 && counts.waiting === 0 ? counts : undefined;
    }, 'idle');
    const counts = await service.queue.getJobCounts('completed', 'failed');
    const kept = await service.queue.getCompleted();
    const oldest = await request(service.app).get(`/jobs/${ids[0]}`).set(alice.auth);

    expect(counts).toEqual({ completed: 2, failed: 2 });
    expect(kept.map((job) => job.data.title).sort()).toEqual(['done 3', 'done 4']);
    expect(oldest.body).toMatchObject({ state: 'completed', progress: 100 });
    expect(await Report.countDocuments({ _id: { $in: ids } })).toBe(4);
  });
});

describe('the effect happens once', () => {
  test('a job run twice (as after a crash) writes one report, the first one', async () => {
    const id = new mongoose.Types.ObjectId().toHexString();
    const job = {
      id,
      data: { owner: alice.user.id, title: 'twice', steps: 2 },
      updateProgress: async () => undefined,
    } as unknown as QueuedJob<ReportJob>;
    const run = (at: string) => runReport({ stepMs: 0, now: () => new Date(at) });

    const results = [await run('2026-01-01T00:00:00Z')(job), await run('2026-01-02T00:00:00Z')(job)];

    expect(results).toEqual([
      { reportId: id, lines: 2 },
      { reportId: id, lines: 2 },
    ]);
    const reports = await Report.find({ _id: id }).lean();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.finishedAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
