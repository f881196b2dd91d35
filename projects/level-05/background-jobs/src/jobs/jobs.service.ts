import { AppError, conflict, notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import mongoose from 'mongoose';
import { Job, type JobRecord } from './job.model.ts';
import type { JobInput, JobListQuery, JobState, JobView, ReportView } from './jobs.schemas.ts';
import { CANCELLED, type JobsQueue } from './jobs.worker.ts';
import { Report, type ReportRecord } from './report.model.ts';

// The use cases of /jobs: the MongoDB record (ownership, listing), the queue (state), no req or res.

/** Only an admin (`jobs:any`) reaches everyone's jobs; anyone else's filter has their id as owner. */
export const visibleTo = (principal: Principal, any: boolean) => (any ? {} : ownedBy(principal));
export type Scope = Record<string, string>;

const noSuchJob = (id: string) => notFound(`No job with id ${id}.`);
const FINISHED: readonly JobState[] = ['completed', 'failed', 'expired'];
/** BullMQ's states of a job no worker holds yet. */
const NOT_TAKEN: readonly string[] = ['waiting', 'delayed', 'prioritized', 'waiting-children'];
export const isFinished = (state: JobState) => FINISHED.includes(state);

/**
 * The record, with the queue's view of it: state, attempts, progress and failure. A job the
 * queue no longer has (retention removed it) is completed if its report exists, failed if it
 * was cancelled (a waiting job is removed at once), and `expired` otherwise.
 */
async function withState(queue: JobsQueue, record: JobRecord): Promise<JobView> {
  const id = String(record._id);
  const base = { id, type: 'report' as const, title: record.title, steps: record.steps, createdAt: record.createdAt.toISOString() };
  // The state first, then the job: read the other way round, a job finishing in between would
  // show as completed with the attempts and progress of before.
  const state = await queue.getJobState(id);
  const job = state === 'unknown' ? undefined : await queue.getJob(id);
  if (!job || state === 'unknown') {
    const reported = (await Report.exists({ _id: id })) !== null;
    if (reported) return { ...base, state: 'completed', attemptsMade: 0, progress: 100, failedReason: null };
    if (record.cancelledAt) return { ...base, state: 'failed', attemptsMade: 0, progress: 0, failedReason: CANCELLED };
    return { ...base, state: 'expired', attemptsMade: 0, progress: 0, failedReason: null };
  }
  const known: JobState = state === 'active' || state === 'delayed' || state === 'completed' || state === 'failed' ? state : 'waiting';
  return {
    ...base,
    state: known,
    attemptsMade: job.attemptsMade,
    progress: typeof job.progress === 'number' ? job.progress : 0,
    failedReason: known === 'failed' || known === 'delayed' ? (job.failedReason ?? null) : null,
  };
}

/**
 * Stores the record, then queues the job under the record's id. If Redis refuses the job, the
 * record is removed again and the error answers 503: nothing is left that no worker will run.
 */
export async function submitJob(queue: JobsQueue, principal: Principal, input: JobInput): Promise<JobView> {
  const record = await Job.create({ ...input, _id: new mongoose.Types.ObjectId(), owner: principal.id });
  const id = String(record._id);
  try {
    await queue.add(input.type, { owner: principal.id, title: input.title, steps: input.steps }, { jobId: id });
  } catch (error) {
    await Job.deleteOne({ _id: record._id });
    throw error;
  }
  return withState(queue, record.toObject());
}

async function findJob(scope: Scope, id: string): Promise<JobRecord> {
  const record = await Job.findOne({ _id: id, ...scope }).lean<JobRecord>();
  if (!record) throw noSuchJob(id);
  return record;
}

/** Someone else's job and a job that does not exist get the same 404. */
export async function readJob(queue: JobsQueue, scope: Scope, id: string): Promise<JobView> {
  return withState(queue, await findJob(scope, id));
}

export async function listJobs(queue: JobsQueue, scope: Scope, page: JobListQuery): Promise<Page<JobView>> {
  const found = await paginate(Job, { filter: scope, sort: { createdAt: -1 }, map: (record) => record as JobRecord }, page);
  return { ...found, items: await Promise.all(found.items.map((record) => withState(queue, record))) };
}

const toReport = (report: ReportRecord): ReportView => ({
  id: report._id,
  title: report.title,
  lines: report.lines,
  finishedAt: report.finishedAt.toISOString(),
});

/** The report once the job completed; 409 naming the state while it is not (yet) there. */
export async function readResult(queue: JobsQueue, scope: Scope, id: string): Promise<ReportView> {
  const record = await findJob(scope, id);
  const report = await Report.findOne({ _id: id }).lean<ReportRecord>();
  if (report) return toReport(report);
  const { state, failedReason } = await withState(queue, record);
  if (isFinished(state)) {
    throw new AppError(409, 'job-has-no-result', `Job ${id} is ${state}${failedReason ? ` (${failedReason})` : ''}: it has no result.`);
  }
  throw new AppError(
    409,
    'job-not-finished',
    `Job ${id} is ${state}: its result is not ready yet. Follow GET /jobs/${id}/events, or ask again later.`,
    { headers: { 'Retry-After': '1' } },
  );
}

/**
 * Marks the record cancelled (once: the filter requires no earlier mark), then removes the job
 * from the queue if no worker holds it yet: a waiting or delayed job is failed at once. An
 * active one is locked, so remove() refuses; its worker sees the mark before its next step and
 * throws UnrecoverableError('cancelled'). A finished job cannot be cancelled: 409.
 */
export async function cancelJob(queue: JobsQueue, scope: Scope, id: string): Promise<JobView> {
  const record = await findJob(scope, id);
  const before = await withState(queue, record);
  if (isFinished(before.state)) throw conflict(`Job ${id} is already ${before.state}: there is nothing to cancel.`);
  const marked = await Job.findOneAndUpdate(
    { _id: id, ...scope, cancelledAt: null },
    { $set: { cancelledAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<JobRecord>();
  const job = await queue.getJob(id);
  if (job && NOT_TAKEN.includes(await job.getState())) {
    // A worker that took it meanwhile holds its lock, and remove() refuses: the mark stops it at its next step.
    await job.remove().catch(() => undefined);
  }
  return withState(queue, marked ?? record);
}

/**
 * The job's view each time it changes (state, progress or attempts), looked at every `pollMs`,
 * until it is finished or `signal` aborts (the client went away). The first view comes at once;
 * a job that is not the caller's throws 404 before anything is yielded.
 */
export async function* watchJob(queue: JobsQueue, scope: Scope, id: string, pollMs: number, signal: AbortSignal): AsyncGenerator<JobView> {
  const record = await findJob(scope, id);
  let last = '';
  while (!signal.aborted) {
    const view = await withState(queue, (await Job.findById(id).lean<JobRecord>()) ?? record);
    const seen = JSON.stringify([view.state, view.progress, view.attemptsMade]);
    if (seen !== last) yield view;
    last = seen;
    if (isFinished(view.state)) return;
    await new Promise((done) => setTimeout(done, pollMs));
  }
}
