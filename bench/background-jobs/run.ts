// `pnpm --filter @hub/bench-background-jobs bench`: what our queue wrapper costs a worker. The
// same BATCH of no-op jobs is added to a queue, then drained once by a bare BullMQ Worker and once
// by @hub/core/queue's createWorker (its own connection, its failure and error logging), in
// turns, ROUNDS times each, on one Redis. It prints each run's jobs per second, then the ratio of
// the best runs (ours ÷ bare), and exits 1 when that ratio is under the goal (0.9).
import { startRedis } from '@hub/engines';
import { createQueue, createWorker } from '@hub/core/queue';
import { configureLogger } from '@hub/core';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';

const BATCH = Number(process.env.BENCH_JOBS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const GOAL = 0.9;

configureLogger({ level: 'error', nodeEnv: 'production' });
const redis = await startRedis();
const prefix = `bench-${process.pid}`;
const noop = async (_job: Job) => undefined;

type Drainer = { name: string; start(queue: string): { worker: Worker; close(): Promise<unknown> } };
const drainers: Drainer[] = [
  {
    name: 'bare BullMQ Worker',
    start(queue) {
      // BullMQ does not close a connection it was given: the bench does.
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const worker = new Worker(queue, noop, { connection, prefix, concurrency: CONCURRENCY });
      return { worker, close: async () => (await worker.close(), await connection.quit()) };
    },
  },
  {
    name: 'createWorker (ours)',
    start(queue) {
      const worker = createWorker(queue, noop, { url: redis.url, prefix, concurrency: CONCURRENCY });
      return { worker, close: () => worker.close() };
    },
  },
];

/** Fills a fresh queue with BATCH jobs, then times one drainer taking them all to completed. */
async function run(drainer: Drainer, round: number): Promise<number> {
  const name = `noop-${round}-${drainer.name.split(' ')[0]}`;
  const queue = createQueue(name, { url: redis.url, prefix }, { removeOnComplete: true });
  await queue.addBulk(Array.from({ length: BATCH }, (_, n) => ({ name: 'noop', data: { n } })));
  let done = 0;
  const started = performance.now();
  const { worker, close } = drainer.start(name);
  await new Promise<void>((finished) => worker.on('completed', () => (done += 1) === BATCH && finished()));
  const seconds = (performance.now() - started) / 1000;
  await close();
  await queue.obliterate({ force: true });
  await queue.close();
  return BATCH / seconds;
}

const best = new Map<string, number>();
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const drainer of round % 2 === 0 ? [...drainers].reverse() : drainers) {
    const rate = await run(drainer, round);
    best.set(drainer.name, Math.max(best.get(drainer.name) ?? 0, rate));
    console.log(`round ${round}  ${drainer.name.padEnd(22)} ${Math.round(rate).toLocaleString('en')} jobs/s`);
  }
}
const bare = best.get('bare BullMQ Worker') ?? 0;
const ours = best.get('createWorker (ours)') ?? 0;
const ratio = ours / bare;
console.log(
  `\nbest of ${ROUNDS}: ours ${Math.round(ours).toLocaleString('en')} jobs/s, bare ${Math.round(bare).toLocaleString('en')} jobs/s`,
);
console.log(`ours ÷ bare = ${ratio.toFixed(2)} (goal ≥ ${GOAL}) ${ratio >= GOAL ? '✓' : '✗'}`);
await redis.stop();
process.exitCode = ratio >= GOAL ? 0 : 1;
