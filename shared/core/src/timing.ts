import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The stages the shared pipeline times, in pipeline order. A service may time stages of its own
 * with stage('csrf', …), stage('upload', …): any lower-case name, shown in the order it ran.
 */
export const STAGES = ['limit', 'validate', 'authn', 'authz', 'handler', 'db'] as const;
export type Stage = (typeof STAGES)[number] | (string & {});

/** A stage name as Server-Timing allows it (an RFC 9110 token), and short enough to read. */
export const STAGE_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/**
 * Per-request stopwatch behind the Server-Timing header and the request log line.
 * A stage's time is how long it was running: stretches that overlap (two db commands sent at
 * once by Promise.all) count once, so `db` never exceeds the request it belongs to. `handler`
 * runs from the moment the pipeline hands the request to the route's own code until the
 * response headers are written.
 */
export class Timings {
  readonly startedAt = performance.now();
  /** Per stage: every stretch it ran, as [start, end] (performance.now()). */
  private readonly spans = new Map<Stage, Array<[number, number]>>();
  private handlerFrom: number | undefined;
  /** The stage that decided a failure (validate, authn, authz, handler, route…), if any. */
  failedAt: string | undefined;
  totalMs: number | undefined;
  /** The stage running now (`handler` between stages), for the inspector to place what it records; undefined once finished. */
  running: Stage | undefined;

  /** Records that `stage` ran for `ms`, from `from` (by default: `ms` ago). */
  add(stage: Stage, ms: number, from?: number): void {
    const began = from ?? performance.now() - ms;
    const stretches = this.spans.get(stage);
    if (stretches) stretches.push([began, began + ms]);
    else this.spans.set(stage, [[began, began + ms]]);
  }

  /** A pipeline stage is about to run: whatever follows it is not the handler yet. */
  leaveHandler(): void {
    this.handlerFrom = undefined;
    this.running = undefined;
  }

  /** From now on, time spent belongs to the route's handler. */
  enterHandler(): void {
    this.handlerFrom = performance.now();
    this.running = 'handler';
  }

  /** A stage or the router answered on its own; the handler never ran. */
  fail(stage: string): void {
    this.failedAt ??= stage;
    if (stage !== 'handler') this.handlerFrom = undefined;
  }

  /** Closes the clock when the response headers go out. */
  finish(): void {
    if (this.totalMs !== undefined) return;
    this.running = undefined;
    const now = performance.now();
    // The handler's stretch is the last one: it begins after the last stage (validate, authn,
    // authz) handed over, and that is where the handler starts on a timeline.
    if (this.handlerFrom !== undefined) this.add('handler', now - this.handlerFrom, this.handlerFrom);
    this.totalMs = now - this.startedAt;
  }

  /**
   * Stages in the order they first started, each with the time it was running in ms (the
   * union of its stretches) and `startMs`, the offset of its first start from the start of the
   * request (for a timeline: the hub page's pipeline view).
   */
  stages(): Array<{ stage: Stage; ms: number; startMs: number }> {
    return [...this.spans]
      .map(([stage, stretches]) => ({ stage, ...union(stretches) }))
      .sort((a, b) => a.from - b.from)
      .map(({ stage, from, ms }) => ({ stage, ms, startMs: Math.max(0, from - this.startedAt) }));
  }

  /** `validate;dur=0.2, handler;dur=3.1, db;dur=2.4, total;dur=3.6` (RFC: W3C Server Timing). */
  header(): string {
    const entries = this.stages().map(({ stage, ms }) => {
      const desc = this.failedAt === stage ? ';desc="failed here"' : '';
      return `${stage}${desc};dur=${ms.toFixed(1)}`;
    });
    if (this.failedAt && !this.spans.has(this.failedAt)) entries.push(`${this.failedAt};desc="failed here"`);
    entries.push(`total;dur=${(this.totalMs ?? 0).toFixed(1)}`);
    return entries.join(', ');
  }
}

/** The earliest start of `stretches`, and how long at least one of them was running. */
function union(stretches: Array<[number, number]>): { from: number; ms: number } {
  const sorted = [...stretches].sort(([a], [b]) => a - b);
  let ms = 0;
  let reached = -Infinity;
  for (const [start, end] of sorted) {
    if (end > reached) ms += end - Math.max(start, reached);
    reached = Math.max(reached, end);
  }
  return { from: sorted[0]?.[0] ?? 0, ms };
}

export function timingsOf(res: Response): Timings {
  return res.locals.timings as Timings;
}

/**
 * Wraps a pipeline stage (validate, authn, authz, or one a service names: csrf, upload…) so it
 * is timed, and so a failure inside it is marked as decided by that stage. `check` throws an
 * AppError to stop the request.
 */
export function stage(name: Stage, check: (req: Request, res: Response) => void | Promise<void>): RequestHandler {
  if (!STAGE_NAME.test(name))
    throw new Error(`stage('${name}'): a stage name is lower-case letters, digits and dashes, at most 24 characters.`);
  return async function timedStage(req: Request, res: Response, next: NextFunction) {
    const timings = timingsOf(res);
    timings.leaveHandler();
    timings.running = name;
    const started = performance.now();
    try {
      await check(req, res);
    } catch (error) {
      timings.add(name, performance.now() - started, started);
      timings.fail(name);
      next(error);
      return;
    }
    timings.add(name, performance.now() - started, started);
    timings.enterHandler();
    next();
  };
}
