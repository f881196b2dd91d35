import type { RequestHandler } from 'express';
import { isHubPath, requestEvent, type PipelineEvents, type RequestFacts } from './events.ts';
import type { Inspection } from './inspector.ts';
import { logger } from './logger.ts';
import type { Problem } from './errors.ts';
import { timingsOf } from './timing.ts';

/**
 * One log line per request, written when the response has been sent: method, path, status,
 * duration and the stages it passed (`validate 0.2 › handler 3.1 (db 2.4)`), plus the
 * problem detail for a 4xx/5xx. Secrets never reach it: the logger redacts them.
 *
 * With `events` (development only: createApp passes the app's emitter, or nothing), the same
 * facts also become a pipeline event for the hub page, except for the hub's own /__hub requests.
 */
export function logRequests(events?: PipelineEvents): RequestHandler {
  return function logRequest(req, res, next) {
    res.once('finish', () => {
      const timings = timingsOf(res);
      timings.finish();
      // With LOG_LEVEL above http nobody reads the line, so it is not built (bench/pipeline measures
      // the saving); without an emitter (production, test) no event is built either.
      const logging = logger.isLevelEnabled('http');
      if (!logging && !events) return;
      const facts: RequestFacts = {
        requestId: String(res.locals.requestId),
        method: req.method,
        path: req.originalUrl.split('?')[0] ?? '/',
        status: res.statusCode,
        timings,
        stages: timings.stages(),
        problem: res.locals.problem as Problem | undefined,
      };
      if (logging) writeLine(facts);
      if (!events || isHubPath(facts.path)) return;
      // The inspector's record (development) waits for work the request left running, such as a mail.
      const inspection = res.locals.inspection as Inspection | undefined;
      if (inspection) void inspection.settled().then(() => events.publish(requestEvent(facts, inspection)));
      else events.publish(requestEvent(facts));
    });
    next();
  };
}

function writeLine({ requestId, method, path, status, timings, stages, problem }: RequestFacts): void {
  const trip = stages.map(({ stage, ms }) => `${stage} ${ms.toFixed(1)}`).join(' › ');
  const failed = timings.failedAt ? ` ✗ ${timings.failedAt}` : '';
  const duration = (timings.totalMs ?? 0).toFixed(1);
  const summary = `${method} ${path} ${status} ${duration}ms${trip ? `  ${trip}` : ''}${failed}${problem ? `  ${problem.detail}` : ''}`;
  // The same facts, structured, for JSON logs (the pretty format shows only the summary).
  logger.http(summary, {
    requestId,
    http: {
      method,
      path,
      status,
      durationMs: Number((timings.totalMs ?? 0).toFixed(2)),
      stages: Object.fromEntries(stages.map(({ stage, ms }) => [stage, Number(ms.toFixed(2))])),
      ...(timings.failedAt ? { failedAt: timings.failedAt } : {}),
      ...(problem ? { detail: problem.detail } : {}),
    },
  });
}
