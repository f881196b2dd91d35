import { accountConfig, loginLimitConfig, redisConfig, type Config } from '@hub/core';
import { queueConfig } from '@hub/core/queue';
import { z } from 'zod';

const int = (min: number, max: number, fallback: number, meaning: string) =>
  z.coerce.number().int().min(min).max(max).default(fallback).describe(meaning);

/**
 * Every key this service reads beyond the shared base: the accounts and their signup/login
 * limits in Redis, the shared queue keys (prefix, worker concurrency, lock), and the jobs' own
 * rules: how long a step takes, how often a job is tried and how it backs off, how many finished jobs the queue keeps, and how often the events stream looks.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...queueConfig,
  JOB_STEP_MS: int(0, 60_000, 1_000, 'how long one step of a report takes (tests make it short)'),
  JOB_ATTEMPTS: int(1, 20, 3, 'runs a job gets before it fails for good'),
  JOB_BACKOFF_MS: int(
    1,
    3_600_000,
    1_000,
    'the first retry waits about this long (half of it to all of it, at random); each next one twice as long',
  ),
  JOB_BACKOFF_MAX_MS: int(1, 86_400_000, 300_000, 'no retry waits longer than this'),
  KEEP_COMPLETED: int(0, 1_000_000, 1_000, 'completed jobs the queue keeps (the oldest go first); their results stay in MongoDB'),
  KEEP_FAILED: int(0, 1_000_000, 5_000, 'failed jobs the queue keeps (the oldest go first)'),
  KEEP_FOR_SECONDS: int(1, 365 * 86_400, 7 * 86_400, 'the longest a finished job is kept, in seconds'),
  EVENTS_POLL_MS: int(10, 10_000, 250, "how often GET /jobs/:id/events looks at the job's state"),
  ADMIN_SESSION_SECONDS: int(60, 86_400, 900, "how long the dashboard's admin cookie lasts (never past the admin's token)"),
};

export type ServiceConfig = Config<typeof serviceConfig>;
