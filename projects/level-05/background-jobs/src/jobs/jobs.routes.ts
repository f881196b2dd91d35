import { ApiRouter, principalOf, validate, type Principal, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { JobId, JobInput, JobListQuery, JobPage, JobView, ReportView } from './jobs.schemas.ts';
import { cancelJob, isFinished, listJobs, readJob, readResult, submitJob, visibleTo, watchJob } from './jobs.service.ts';
import type { JobsQueue } from './jobs.worker.ts';

const submitting = { body: JobInput };
const listing = { query: JobListQuery };
const byId = { params: JobId };
const PING_MS = 15_000;

/**
 * The /jobs routes. POST answers 202 once the job is queued: a worker process runs it. Every
 * other route reaches only the caller's own jobs (an admin's: everyone's), so someone else's
 * job is a 404 like a missing one.
 */
export function jobsRoutes({ access, queue, pollMs }: { access: AppAccess; queue: JobsQueue; pollMs: number }): ApiRouter {
  const scopeOf = (principal: Principal) => visibleTo(principal, access.can(principal, 'jobs:any'));
  const mine = [access.authenticate(), access.authorize('jobs:read')] as const;
  return new ApiRouter('jobs')
    .post(
      '/',
      { summary: 'Submit a report job (202: a worker runs it)', responses: { 202: JobView } },
      validate(submitting),
      access.authenticate(),
      access.authorize('jobs:submit'),
      async (req: ValidRequest<typeof submitting>, res: Response) => {
        const job = await submitJob(queue, principalOf(req), req.body);
        res.status(202).location(`${req.baseUrl}/${job.id}`).json(job);
      },
    )
    .get(
      '/',
      { summary: 'My jobs, newest first, with their state; by page or cursor', responses: { 200: JobPage } },
      validate(listing),
      ...mine,
      async (req: ValidRequest<typeof listing>, res: Response) => {
        res.json(await listJobs(queue, scopeOf(principalOf(req)), req.query));
      },
    )
    .get(
      '/:id',
      { summary: 'One of my jobs: state, attempts, progress, why it failed', responses: { 200: JobView } },
      validate(byId),
      ...mine,
      async (req: ValidRequest<typeof byId>, res: Response) => {
        res.json(await readJob(queue, scopeOf(principalOf(req)), req.params.id));
      },
    )
    .get(
      '/:id/events',
      { summary: "The job's progress as server-sent events, until it finishes", responses: { 200: 'text/event-stream' } },
      validate(byId),
      ...mine,
      async (req: ValidRequest<typeof byId>, res: Response) => {
        const stop = new AbortController();
        req.on('close', () => stop.abort());
        const views = watchJob(queue, scopeOf(principalOf(req)), req.params.id, pollMs, stop.signal);
        // The first view is read before the headers go out, so a job that is not yours is a 404 problem.
        const first = await views.next();
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
        // A job can wait a long time with nothing to say: a comment line keeps proxies from closing the stream.
        const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
        stop.signal.addEventListener('abort', () => clearInterval(ping));
        for (let next = first; !next.done; next = await views.next()) {
          const view = next.value;
          res.write(`event: ${isFinished(view.state) ? view.state : 'progress'}\ndata: ${JSON.stringify(view)}\n\n`);
        }
        clearInterval(ping);
        res.end();
      },
    )
    .get(
      '/:id/result',
      { summary: "The job's result once it completed (409 while it is not)", responses: { 200: ReportView } },
      validate(byId),
      ...mine,
      async (req: ValidRequest<typeof byId>, res: Response) => {
        res.json(await readResult(queue, scopeOf(principalOf(req)), req.params.id));
      },
    )
    .post(
      '/:id/cancel',
      { summary: 'Cancel a job: a waiting one fails at once, a running one at its next step', responses: { 202: JobView } },
      validate(byId),
      access.authenticate(),
      access.authorize('jobs:cancel'),
      async (req: ValidRequest<typeof byId>, res: Response) => {
        res.status(202).json(await cancelJob(queue, scopeOf(principalOf(req)), req.params.id));
      },
    );
}
