// `pnpm --filter @hub/bench-email-queue bench`: level-05/email-queue's send rate limit, measured
// where it matters, at the SMTP server. The service runs as in production: its web process and
// two worker processes (`node src/server.ts`, `node src/worker.ts`), on MongoDB and Redis started
// here (or MONGO_URL / REDIS_URL) and a mail catcher in this process. One account submits
// BENCH_MAILS mails (100) at once, each with its own Idempotency-Key; the clock runs from the
// first mail received to the last. With SEND_RATE_PER_SECOND=10 shared by both workers (BullMQ's
// limiter lives in Redis), 100 mails must take at least 9.5 s; the script exits 1 when they take
// less. It also prints the busiest second the SMTP server saw, for what it tells (README).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort, startMailCatcher, startMongo, startRedis } from '@hub/engines';

const MAILS = Number(process.env.BENCH_MAILS ?? 100);
const RATE = 10;
const GOAL_S = ((MAILS - 1) / RATE) * (9.5 / 9.9); // 100 mails at 10/s: 9.9 s between the first and the last, 9.5 s allowed
const SERVICE = resolve(import.meta.dirname, '../../projects/level-05/email-queue');

const mongo = await startMongo();
const redis = await startRedis();
const smtp = await startMailCatcher();
console.log(`using ${mongo.description} + ${redis.description}; ${MAILS} mails at ${RATE}/s through 2 workers`);
const port = await freePort();
const env = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  PORT: String(port),
  JWT_SECRET: randomBytes(32).toString('base64'),
  MONGO_URL: mongo.url.replace(/\/?(\?|$)/, `/bench-email-queue-${process.pid}$1`),
  REDIS_URL: redis.url,
  QUEUE_PREFIX: `bench-${process.pid}`,
  SMTP_URL: smtp.url,
  SEND_RATE_PER_SECOND: String(RATE),
  WORKER_CONCURRENCY: '8',
};

/** A service process, once it logged `ready` (its JSON log line). */
function start(file: string, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', resolve(SERVICE, file)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) done(child);
    });
    child.once('exit', (code) => fail(new Error(`${file} exited (${code}) before it was ready:\n${output}`)));
  });
}

const children: ChildProcess[] = [];
try {
  children.push(await start('src/server.ts', /listening on/));
  children.push(...(await Promise.all([start('src/worker.ts', /working on/), start('src/worker.ts', /working on/)])));
  const base = `http://127.0.0.1:${port}`;
  const json = { 'content-type': 'application/json' };
  const account = { email: `bench-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse battery' };
  const signup = await fetch(`${base}/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify(account) });
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
  const { accessToken } = (await signup.json()) as { accessToken: string };

  const started = performance.now();
  const submitted = await Promise.all(
    Array.from({ length: MAILS }, (_, n) =>
      fetch(`${base}/emails`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${accessToken}`, 'idempotency-key': `"bench-${n}"` },
        body: JSON.stringify({ to: `reader-${n}@example.com`, subject: `Bench ${n}`, text: 'Rate-limited.' }),
      }).then((response) => response.status),
    ),
  );
  const refused = submitted.filter((status) => status !== 202);
  if (refused.length > 0) throw new Error(`${refused.length} submits were refused: ${[...new Set(refused)].join(', ')}`);
  const submitMs = performance.now() - started;
  await Promise.all(Array.from({ length: MAILS }, (_, n) => smtp.next(`reader-${n}@example.com`, 120_000)));
  const totalS = (performance.now() - started) / 1000;

  // The busiest second: the most mails received within any 1,000 ms.
  const times = smtp.mails.map((mail) => mail.receivedAt.getTime()).sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= 1000) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  const spanS = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  console.log(`submitted ${MAILS} in ${submitMs.toFixed(0)} ms (all 202)`);
  console.log(
    `received ${smtp.mails.length} mails ${totalS.toFixed(2)} s after the first submit; first to last mail ${spanS.toFixed(2)} s`,
  );
  console.log(`busiest second: ${busiest} mails (limit ${RATE}); overall ${(MAILS / totalS).toFixed(2)} mails/s`);
  const ok = spanS >= GOAL_S && smtp.mails.length === MAILS;
  console.log(
    ok
      ? `✓ ${MAILS} mails took ${spanS.toFixed(2)} s ≥ ${GOAL_S.toFixed(2)} s`
      : `✗ ${MAILS} mails took ${spanS.toFixed(2)} s < ${GOAL_S.toFixed(2)} s`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const child of children) child.kill('SIGTERM');
  await smtp.stop();
  await redis.stop();
  await mongo.stop();
}
