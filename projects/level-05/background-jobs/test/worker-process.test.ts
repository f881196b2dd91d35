import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, type TestAccount } from '@hub/testkit';
import { Report } from '../src/jobs/report.model.ts';
import { aJob, eventually, settled, submit, testApp } from './support.ts';

// Locks expire 1 s after a worker stops renewing them, and workers look for such jobs as often.
const service = testApp({ env: { JOB_LOCK_MS: '1000', JOB_STEP_MS: '150' } });
let alice: TestAccount;

beforeAll(async () => {
  alice = await signUp(service.app);
});

/** `node src/worker.ts` on this file's database and queue, as `pnpm worker` starts it. */
function workerProcess() {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('../src/worker.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: service.config.JWT_SECRET,
      MONGO_URL: service.mongoUrl,
      REDIS_URL: service.config.REDIS_URL,
      QUEUE_PREFIX: service.config.QUEUE_PREFIX,
      JOB_LOCK_MS: String(service.config.JOB_LOCK_MS),
      JOB_STEP_MS: String(service.config.JOB_STEP_MS),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: once(child, 'exit'), stderr: () => stderr };
}

/** Resolves once a worker reported progress on the job: it is in the middle of it. */
const midway = (id: string) =>
  eventually(async () => {
    const job = await service.queue.getJob(id);
    return job && Number(job.progress) > 0 && Number(job.progress) < 100 ? job : undefined;
  }, 'midway');

describe('the worker process (pnpm worker: node src/worker.ts)', () => {
  test('killed with SIGKILL mid-job, its job runs again on another worker once the lock expires, and the report is written once', async () => {
    const first = workerProcess();
    const { body: job } = await submit(service.app, alice, aJob({ steps: 5 }));
    await midway(job.id);

    first.child.kill('SIGKILL');
    const [, signal] = await first.exited;
    const second = service.startWorker();
    const done = await settled(service.app, alice, job.id, ['completed', 'failed'], 15_000);
    const recovered = await service.queue.getJob(job.id);
    await second.close();

    expect(signal).toBe('SIGKILL');
    expect(done).toMatchObject({ state: 'completed', progress: 100 });
    expect(recovered).toMatchObject({ stalledCounter: 1, attemptsStarted: 2 });
    expect(await Report.countDocuments({ _id: job.id })).toBe(1);
  });

  test('on SIGTERM it finishes the job in flight, then exits 0', async () => {
    const worker = workerProcess();
    const { body: job } = await submit(service.app, alice, aJob({ steps: 5 }));
    await midway(job.id);

    worker.child.kill('SIGTERM');
    const [code] = await worker.exited;
    const state = await service.queue.getJobState(job.id);

    expect({ code, stderr: worker.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(state).toBe('completed');
    expect(await Report.countDocuments({ _id: job.id })).toBe(1);
  });
});
