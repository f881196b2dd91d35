import { performance } from 'node:perf_hooks';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { AppError, type Problem } from './errors.ts';
import { jobPage, type Inspection, type InspectionRecord } from './inspector.ts';
import { logger, redact } from './logger.ts';
import type { Stage, Timings } from './timing.ts';

/*
 * Pipeline events: each request's trip through the pipeline, for the hub page's live view.
 *
 * In development only (createApp({ events }) defaults to NODE_ENV === 'development'), createApp
 * makes one emitter per app (`app.locals.pipelineEvents`) and the request log's `finish` hook
 * hands it the facts it already computed for the log line. The emitter keeps the last 50 events
 * in a ring buffer and passes each new one to its subscribers; two routes expose it:
 *
 *   GET /__hub/events         Server-Sent Events: the buffered events, then each new one, as
 *                             `event: request` / `data: <one-line JSON>`; `: ping` every 15 s.
 *   GET /__hub/events/recent  `{ items: RequestEvent[] }`, the same buffer, oldest first.
 *   GET /__hub/jobs/:queue/:id  With the inspector on, a job of one of the service's queues and
 *                             the attempts workers made at it (inspector.ts JobPage); 404 else.
 *
 * Requests to /__hub/* are never published, and the routes are not in the OpenAPI document.
 * In production and test the routes do not exist and no event is ever built: the guard is a
 * plain boolean fixed when the app is built, so a service pays nothing (bench/pipeline checks).
 * An event carries only method, path (no query string), status, timings and the problem+json
 * body after the logger's redact(): no headers, no request or response bodies. With the request
 * inspector on (inspector.ts, development) it also carries the request's record: what the
 * request did, and the request for "copy as curl", its credentials replaced by placeholders.
 */

/** The prefix of the hub's own routes; requests under it are never published. */
export const HUB_PREFIX = '/__hub';
const RECENT_LIMIT = 50;
const PING_MS = 15_000;

export interface StageEvent {
  stage: Stage;
  /** Offset of the stage's first start from the start of the request, in ms. */
  startMs: number;
  /** Total time spent in the stage, in ms. */
  ms: number;
  /** `failed` for the stage named by the event's failedAt, `ok` otherwise. */
  outcome: 'ok' | 'failed';
}

/** One request's trip through the pipeline, as the hub page draws it. */
export interface RequestEvent {
  id: string;
  /** ISO time the request started. */
  at: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  durationMs: number;
  /** In pipeline order; only the stages that ran. */
  stages: StageEvent[];
  /** The stage that decided a failure; also `route` or `parse`, which have no entry in stages. */
  failedAt: string | null;
  /** The problem+json body that was sent, redacted; null for a success. */
  problem: Record<string, unknown> | null;
  /** What the request did (inspector.ts): only while the request inspector is on, in development. */
  inspection?: InspectionRecord;
}

/** What the request log's finish hook knows about a finished request: the log line and the event are both made from it. */
export interface RequestFacts {
  requestId: string;
  method: string;
  path: string;
  status: number;
  timings: Timings;
  stages: ReturnType<Timings['stages']>;
  problem: Problem | undefined;
}

export type RequestEventListener = (event: RequestEvent) => void;

export interface PipelineEvents {
  publish(event: RequestEvent): void;
  /** Calls `listener` with every event published from now on; `onClose` runs when the emitter closes. Returns unsubscribe. */
  subscribe(listener: RequestEventListener, onClose?: () => void): () => void;
  /** The buffered events, oldest first (up to 50). */
  recent(): RequestEvent[];
  readonly subscriberCount: number;
  /** Ends every subscription (their onClose runs): startServer() calls it on shutdown, so open streams do not hold it up. */
  close(): void;
}

/** The in-process emitter behind the hub's pipeline view, one per app. */
export function createPipelineEvents({ limit = RECENT_LIMIT }: { limit?: number } = {}): PipelineEvents {
  const ring: RequestEvent[] = [];
  let next = 0; // where the next event goes once the ring is full
  const subscribers = new Map<RequestEventListener, (() => void) | undefined>();
  return {
    publish(event) {
      if (ring.length < limit) ring.push(event);
      else ring[next] = event;
      next = (next + 1) % limit;
      for (const listener of subscribers.keys()) {
        try {
          listener(event);
        } catch (error) {
          logger.warn('A pipeline-event subscriber failed', { error });
        }
      }
    },
    subscribe(listener, onClose) {
      subscribers.set(listener, onClose);
      return () => {
        subscribers.delete(listener);
      };
    },
    recent() {
      return ring.length < limit ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)];
    },
    get subscriberCount() {
      return subscribers.size;
    },
    close() {
      const closing = [...subscribers.values()];
      subscribers.clear();
      for (const onClose of closing) onClose?.();
    },
  };
}

/** The event for a finished request, from the facts its log line was made from. */
export function requestEvent(
  { requestId, method, path, status, timings, stages, problem }: RequestFacts,
  inspection?: Inspection,
): RequestEvent {
  const failedAt = timings.failedAt ?? null;
  return {
    id: requestId,
    at: new Date(performance.timeOrigin + timings.startedAt).toISOString(),
    method,
    path,
    status,
    durationMs: round(timings.totalMs ?? 0),
    stages: stages.map(({ stage, startMs, ms }) => ({
      stage,
      startMs: round(startMs),
      ms: round(ms),
      outcome: stage === failedAt ? 'failed' : 'ok',
    })),
    failedAt,
    // Secrets never leave: the same redaction as the logger's.
    problem: problem ? redact(problem as Record<string, unknown>) : null,
    ...(inspection ? { inspection: inspection.record() } : {}),
  };
}

export function isHubPath(path: string): boolean {
  return path === HUB_PREFIX || path.startsWith(`${HUB_PREFIX}/`);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * `GET /events` (SSE) and `GET /events/recent` (JSON) over `events`, to mount at HUB_PREFIX:
 * `app.use(HUB_PREFIX, hubRoutes(events))`, so any other request passes one prefix check.
 */
export function hubRoutes(events: PipelineEvents, { pingMs = PING_MS }: { pingMs?: number } = {}): Router {
  return express
    .Router()
    .get('/events', allowLoopbackOrigin, refuseWhileShuttingDown, streamEvents(events, pingMs))
    .get('/events/recent', allowLoopbackOrigin, (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ items: events.recent() });
    })
    .get('/jobs/:queue/:id', allowLoopbackOrigin, async (req, res) => {
      const { queue, id } = req.params as { queue: string; id: string };
      const page = await jobPage(queue, id);
      if (!page) throw new AppError(404, 'not-found', `No job ${id} in a queue called ${queue} here.`);
      res.set('Cache-Control', 'no-store').json(page);
    });
}

function streamEvents(events: PipelineEvents, pingMs: number): RequestHandler {
  return function streamPipelineEvents(_req: Request, res: Response) {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      // A stream is never followed by another request on its connection: closing it when the
      // stream ends lets a shutting-down server finish at once.
      Connection: 'close',
    });
    res.flushHeaders();
    const write = (chunk: string) => {
      if (!res.writableEnded && !res.destroyed) res.write(chunk);
    };
    const send = (event: RequestEvent) => write(`event: request\ndata: ${JSON.stringify(event)}\n\n`);
    for (const event of events.recent()) send(event);
    const unsubscribe = events.subscribe(send, () => res.end());
    const ping = setInterval(() => write(': ping\n\n'), pingMs);
    res.once('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  };
}

// The hub page is served by the dev launcher on a port of its own: let pages on this machine read the events.
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
const allowLoopbackOrigin: RequestHandler = (req, res, next) => {
  const origin = req.get('origin');
  if (origin && LOOPBACK_ORIGIN.test(origin)) res.set('Access-Control-Allow-Origin', origin).vary('Origin');
  next();
};

const refuseWhileShuttingDown: RequestHandler = (req, _res, next) => {
  next(req.app.locals.shuttingDown === true ? new AppError(503, 'shutting-down', 'The service is shutting down.') : undefined);
};
