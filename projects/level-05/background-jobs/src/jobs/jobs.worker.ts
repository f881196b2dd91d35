import { createQueue, createWorker } from '@hub/core/queue';
import { UnrecoverableError, type Job as QueuedJob } from 'bullmq';
import type { ServiceConfig } from '../config.ts';
import { Job } from './job.model.ts';
import { Report } from './report.model.ts';

export const JOBS_QUEUE = 'jobs';
export const CANCELLED = 'cancelled';
/** The backoff type every job is added with; the worker's backoffStrategy computes its delays. */
export const JITTERED = 'jittered';

/** What a queued job carries: its owner and what was asked; its id is the MongoDB record's. */
export interface ReportJob {
  owner: string;
  title: string;
  steps: number;
}

/** What a completed job returns (BullMQ keeps it as the job's returnvalue). */
export interface ReportResult {
  reportId: string;
  lines: number;
}

export type JobsQueue = ReturnType<typeof jobsQueue>;

/**
 * How long the n-th retry waits: exponential (base × 2^(n−1), at most `maxMs`) with "equal
 * jitter": half of that for sure, the other half at random. Workers that failed together (a
 * database blip) then come back spread out instead of all at the same instant.
 */
export function retryDelay(attemptsMade: number, baseMs: number, { maxMs = Number.POSITIVE_INFINITY, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The producer: every job gets JOB_ATTEMPTS runs with jittered backoff, and the queue keeps at
 * most KEEP_COMPLETED / KEEP_FAILED finished jobs, none older than KEEP_FOR_SECONDS.
 */
export function jobsQueue(config: ServiceConfig) {
  return createQueue<ReportJob, ReportResult>(
    JOBS_QUEUE,
    { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, timeoutMs: config.REDIS_TIMEOUT_MS },
    {
      attempts: config.JOB_ATTEMPTS,
      backoff: { type: JITTERED, delay: config.JOB_BACKOFF_MS },
      removeOnComplete: { count: config.KEEP_COMPLETED, age: config.KEEP_FOR_SECONDS },
      removeOnFail: { count: config.KEEP_FAILED, age: config.KEEP_FOR_SECONDS },
    },
  );
}

export interface ReportDeps {
  stepMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Runs before each step (1-based): tests throw from here to make an attempt fail. */
  beforeStep?: (job: QueuedJob<ReportJob>, step: number) => Promise<void> | void;
  now?: () => Date;
}

const realSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * One job: `steps` steps of `stepMs`, progress reported after each. Before each step, and before
 * the write, it looks for a cancel mark on the job's record; a cancelled job throws
 * UnrecoverableError, so BullMQ fails it without a retry. The effect is one upsert keyed by the
 * job's id, so a job run again after a crash writes nothing new.
 */
export function runReport({ stepMs, sleep = realSleep, beforeStep, now = () => new Date() }: ReportDeps) {
  return async function run(job: QueuedJob<ReportJob, ReportResult>): Promise<ReportResult> {
    const id = String(job.id);
    const cancelled = async () => (await Job.exists({ _id: id, cancelledAt: { $ne: null } })) !== null;
    const lines: string[] = [];
    for (let step = 1; step <= job.data.steps; step += 1) {
      if (await cancelled()) throw new UnrecoverableError(CANCELLED);
      await beforeStep?.(job, step);
      await sleep(stepMs);
      lines.push(`${job.data.title}: section ${step} of ${job.data.steps}`);
      await job.updateProgress(Math.round((step / job.data.steps) * 100));
    }
    if (await cancelled()) throw new UnrecoverableError(CANCELLED);
    await Report.updateOne(
      { _id: id },
      { $setOnInsert: { owner: job.data.owner, title: job.data.title, lines, finishedAt: now() } },
      { upsert: true },
    );
    return { reportId: id, lines: lines.length };
  };
}

/** The consumer: WORKER_CONCURRENCY jobs at a time and the jittered backoff; the stalled-job check runs every JOB_LOCK_MS (core's default). */
export function jobsWorker(config: ServiceConfig, deps: Partial<ReportDeps> = {}) {
  return createWorker<ReportJob, ReportResult>(JOBS_QUEUE, runReport({ stepMs: config.JOB_STEP_MS, ...deps }), {
    url: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    options: {
      settings: {
        backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, config.JOB_BACKOFF_MS, { maxMs: config.JOB_BACKOFF_MAX_MS }),
      },
    },
  });
}
