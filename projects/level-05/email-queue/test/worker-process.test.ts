import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestSmtp, type TestAccount } from '@hub/testkit';
import { anEmail, settled, submit, testApp } from './support.ts';

const service = testApp();
const smtp = useTestSmtp();
let alice: TestAccount;

beforeAll(async () => {
  alice = await signUp(service.app);
});

describe('the worker process (pnpm worker: node src/worker.ts)', () => {
  test('is a process of its own: it sends what the web process queued, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', new URL('../src/worker.ts', import.meta.url).pathname],
      {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          JWT_SECRET: service.config.JWT_SECRET,
          MONGO_URL: service.mongoUrl,
          REDIS_URL: service.config.REDIS_URL,
          QUEUE_PREFIX: service.config.QUEUE_PREFIX,
          SMTP_URL: smtp.url,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    const body = anEmail();

    const { body: queued } = await submit(service.app, alice, body);
    const mail = await smtp.next(body.to, 10_000);
    const email = await settled(queued.id, ['sent'], 10_000);
    child.kill('SIGTERM');
    const [code] = await exited;

    expect(mail.subject).toBe(body.subject);
    expect(email.status).toBe('sent');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
