// The worker as it runs in production: a process of its own (`node src/worker.ts`), stopped by a
// signal, or killed outright.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pausableProxy, signUp, useTestSmtp, type TestAccount } from '@hub/testkit';
import { SentRecord } from '../src/emails/sent-record.model.ts';
import { anEmail, settled, submit, testApp } from './support.ts';

const service = testApp();
const smtp = useTestSmtp();
let alice: TestAccount;
const children: Array<ReturnType<typeof spawn>> = [];

beforeAll(async () => {
  alice = await signUp(service.app);
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * `node src/worker.ts` on this file's database, Redis and queue; `env` overrides. Its stderr is
 * collected. Every worker of the file has a 1 s lock: BullMQ's stalled-job check runs once per
 * interval across all workers of a queue, so one worker with a longer one delays the others'.
 */
function spawnWorker(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('../src/worker.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: service.config.JWT_SECRET,
      MONGO_URL: service.mongoUrl,
      REDIS_URL: service.config.REDIS_URL,
      QUEUE_PREFIX: service.config.QUEUE_PREFIX,
      SMTP_URL: smtp.url,
      JOB_LOCK_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  const output = { stderr: '' };
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output, exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the worker process (pnpm worker: node src/worker.ts)', () => {
  test('is a process of its own: it sends what the web process queued, and exits 0 on SIGTERM', async () => {
    const { child, output, exited } = spawnWorker();
    const body = anEmail();

    const { body: queued } = await submit(service.app, alice, body);
    const mail = await smtp.next(body.to, 10_000);
    const email = await settled(queued.id, ['sent'], 10_000);
    child.kill('SIGTERM');
    const [code] = await exited;

    expect(mail.subject).toBe(body.subject);
    expect(email.status).toBe('sent');
    expect({ code, stderr: output.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test('killed (SIGKILL) after the SMTP server accepted, before the job completed: another worker takes the job over and sends nothing', async () => {
    // The worker's Redis goes through a proxy that stops answering the moment the mail arrives:
    // the worker writes its sent-record (MongoDB) but can never tell BullMQ the job completed.
    const redis = await pausableProxy(service.config.REDIS_URL);
    const { child, exited } = spawnWorker({ REDIS_URL: redis.url });
    const body = anEmail();
    const { body: queued } = await submit(service.app, alice, body);
    const id = String(queued.id);

    await smtp.next(body.to, 10_000);
    redis.pause();
    await until('the sent-record', () => SentRecord.findById(id).lean());
    child.kill('SIGKILL');
    expect((await exited)[1]).toBe('SIGKILL');
    await redis.close();
    const job = await service.queue.getJob(id);
    expect(await job?.getState()).toBe('active'); // still held by the dead worker's lock

    // A second worker: once the dead worker's lock expires, its stalled-job check takes the job.
    const worker = service.startWorker({ smtpUrl: smtp.url, env: { JOB_LOCK_MS: '1000' } });
    const result = await until('the job to complete again', async () => {
      const again = await service.queue.getJob(id);
      return (await again?.getState()) === 'completed' ? again?.returnvalue : undefined;
    });
    await worker.close();

    expect(result).toEqual({ outcome: 'already-sent', messageId: expect.any(String) });
    expect(smtp.mails.filter((mail) => mail.to.includes(body.to))).toHaveLength(1);
    expect((await settled(id, ['sent'])).status).toBe('sent');
  });
});
