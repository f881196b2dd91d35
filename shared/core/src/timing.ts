import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The stages a request passes through, in pipeline order. */
export const STAGES = ['validate', 'authn', 'authz', 'handler', 'db'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Per-request stopwatch behind the Server-Timing header and the request log line.
 * Stages add up their own durations; `handler` runs from the moment the pipeline hands the
 * request to the route's own code until the response headers are written.
 */
export class Timings {
  readonly startedAt = performance.now();
  private readonly durations = new Map<Stage, number>();
  private handlerFrom: number | undefined;
  /** The stage that decided a failure (validate, authn, authz, handler, route…), if any. */
  failedAt: string | undefined;
  totalMs: number | undefined;

  add(stage: Stage, ms: number): void {
    this.durations.set(stage, (this.durations.get(stage) ?? 0) + ms);
  }

  /** A pipeline stage is about to run: whatever follows it is not the handler yet. */
  leaveHandler(): void {
    this.handlerFrom = undefined;
  }

  /** From now on, time spent belongs to the route's handler. */
  enterHandler(): void {
    this.handlerFrom = performance.now();
  }

  /** A stage or the router answered on its own; the handler never ran. */
  fail(stage: string): void {
    this.failedAt ??= stage;
    if (stage !== 'handler') this.handlerFrom = undefined;
  }

  /** Closes the clock when the response headers go out. */
  finish(): void {
    if (this.totalMs !== undefined) return;
    const now = performance.now();
    if (this.handlerFrom !== undefined) this.add('handler', now - this.handlerFrom);
    this.totalMs = now - this.startedAt;
  }

  /** Stages in pipeline order, each with its duration in ms. */
  stages(): Array<{ stage: Stage; ms: number }> {
    return STAGES.filter((stage) => this.durations.has(stage)).map((stage) => ({ stage, ms: this.durations.get(stage) ?? 0 }));
  }

  /** `validate;dur=0.2, handler;dur=3.1, db;dur=2.4, total;dur=3.6` (RFC: W3C Server Timing). */
  header(): string {
    const entries = this.stages().map(({ stage, ms }) => {
      const desc = this.failedAt === stage ? ';desc="failed here"' : '';
      return `${stage}${desc};dur=${ms.toFixed(1)}`;
    });
    if (this.failedAt && !this.durations.has(this.failedAt as Stage)) entries.push(`${this.failedAt};desc="failed here"`);
    entries.push(`total;dur=${(this.totalMs ?? 0).toFixed(1)}`);
    return entries.join(', ');
  }
}

export function timingsOf(res: Response): Timings {
  return res.locals.timings as Timings;
}

/**
 * Wraps a pipeline stage (validate, authn, authz) so it is timed, and so a failure inside it is
 * marked as decided by that stage. `check` throws an AppError to stop the request.
 */
export function stage(name: Stage, check: (req: Request, res: Response) => void | Promise<void>): RequestHandler {
  return async function timedStage(req: Request, res: Response, next: NextFunction) {
    const timings = timingsOf(res);
    timings.leaveHandler();
    const started = performance.now();
    try {
      await check(req, res);
    } catch (error) {
      timings.add(name, performance.now() - started);
      timings.fail(name);
      next(error);
      return;
    }
    timings.add(name, performance.now() - started);
    timings.enterHandler();
    next();
  };
}
