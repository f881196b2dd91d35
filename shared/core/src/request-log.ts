import type { RequestHandler } from 'express';
import { logger } from './logger.ts';
import type { Problem } from './errors.ts';
import { timingsOf } from './timing.ts';

/**
 * One log line per request, written when the response has been sent: method, path, status,
 * duration and the stages it passed (`validate 0.2 › handler 3.1 (db 2.4)`), plus the
 * problem detail for a 4xx/5xx. Secrets never reach it: the logger redacts them.
 */
export function logRequests(): RequestHandler {
  return function logRequest(req, res, next) {
    res.once('finish', () => {
      const timings = timingsOf(res);
      timings.finish();
      // With LOG_LEVEL above http nobody reads the line, so it is not built (bench/pipeline measures the saving).
      if (!logger.isLevelEnabled('http')) return;
      const stages = timings.stages();
      const trip = stages.map(({ stage, ms }) => `${stage} ${ms.toFixed(1)}`).join(' › ');
      const failed = timings.failedAt ? ` ✗ ${timings.failedAt}` : '';
      const problem = res.locals.problem as Problem | undefined;
      const path = req.originalUrl.split('?')[0] ?? '/';
      const status = res.statusCode;
      const duration = (timings.totalMs ?? 0).toFixed(1);
      const summary = `${req.method} ${path} ${status} ${duration}ms${trip ? `  ${trip}` : ''}${failed}${problem ? `  ${problem.detail}` : ''}`;
      // The same facts, structured, for JSON logs (the pretty format shows only the summary).
      logger.http(summary, {
        requestId: res.locals.requestId,
        http: {
          method: req.method,
          path,
          status,
          durationMs: Number((timings.totalMs ?? 0).toFixed(2)),
          stages: Object.fromEntries(stages.map(({ stage, ms }) => [stage, Number(ms.toFixed(2))])),
          ...(timings.failedAt ? { failedAt: timings.failedAt } : {}),
          ...(problem ? { detail: problem.detail } : {}),
        },
      });
    });
    next();
  };
}
