import type { Job } from 'bullmq';
import { deliver, type DeliverDeps } from './deliveries/deliver.ts';
import { fanOut, flushDigest, type FanOutDeps } from './events/fan-out.ts';
import type { JobDataOf, JobName } from './jobs.ts';

export type HandlerDeps = DeliverDeps & FanOutDeps;

/**
 * The worker's processor: each job name to its handler. A thrown error fails the attempt and
 * BullMQ retries the job with backoff, each channel's delivery being a job of its own.
 */
export const processJobs =
  (deps: HandlerDeps) =>
  async (job: Job): Promise<unknown> => {
    const name = job.name as JobName;
    switch (name) {
      case 'fanout':
        return fanOut(job.data as JobDataOf['fanout'], deps);
      case 'deliver':
        // attemptsMade counts the attempts already failed, so this is the last when one more reaches the limit.
        return deliver(job.data as JobDataOf['deliver'], { ...deps, finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
      case 'flush-digest':
        return flushDigest((job.data as JobDataOf['flush-digest']).digest, deps);
      default:
        throw new Error(`No handler for job ${String(name)}`);
    }
  };

/** Every job's retry policy: DELIVERY_ATTEMPTS tries, exponential backoff, a bounded history in Redis. */
export const jobOptions = ({ DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS }: { DELIVERY_ATTEMPTS: number; DELIVERY_BACKOFF_MS: number }) => ({
  attempts: DELIVERY_ATTEMPTS,
  backoff: { type: 'exponential', delay: DELIVERY_BACKOFF_MS },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});
