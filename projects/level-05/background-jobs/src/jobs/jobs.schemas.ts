import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

export const JobId = IdParams;

/** POST /jobs: a report of `steps` sections (each takes JOB_STEP_MS), under a title. */
export const JobInput = clientBody(
  z.object({
    type: z.literal('report').default('report').meta({ description: 'the kind of work; only "report" for now' }),
    title: z.string().trim().min(1).max(100).meta({ example: 'Monthly sales' }),
    steps: z.int().min(1).max(20).default(5).meta({ description: 'sections to write, 1 to 20; 5 when absent' }),
  }),
);
export type JobInput = z.output<typeof JobInput>;

/** GET /jobs: the shared limit, page and cursor. */
export const JobListQuery = pageQuery({});
export type JobListQuery = z.output<typeof JobListQuery>;

export const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'expired'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobView = z
  .object({
    id: z.string().describe('the job, and its BullMQ job id'),
    type: z.literal('report'),
    title: z.string(),
    steps: z.int(),
    state: z
      .enum(JOB_STATES)
      .describe('delayed: waiting for its next retry; expired: finished so long ago that the queue forgot it (retention)'),
    attemptsMade: z.int().describe('runs that ended (failed or completed)'),
    progress: z.number().describe('0 to 100'),
    failedReason: z.string().nullable().describe('why the last run failed ("cancelled" for a cancelled job); null otherwise'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Job' });
export type JobView = z.infer<typeof JobView>;

export const JobPage = pageOf(JobView, 'JobPage');

export const ReportView = z
  .object({
    id: z.string().describe("the report, keyed by its job's id"),
    title: z.string(),
    lines: z.array(z.string()),
    finishedAt: z.iso.datetime(),
  })
  .meta({ id: 'Report' });
export type ReportView = z.infer<typeof ReportView>;
