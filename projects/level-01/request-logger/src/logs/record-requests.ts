import { performance } from 'node:perf_hooks';
import { redact } from '@hub/core';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { LogEntry } from './logs.schemas.ts';
import type { RingBuffer } from './ring-buffer.ts';

/** The status recorded when the client hung up before the response was sent (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** A body whose redacted JSON is longer than this is summarised, so one entry stays small. */
export const MAX_BODY_BYTES = 2048;

const unrecorded = new WeakSet<Response>();

/** Asks the recorder not to keep this request (GET /logs uses it for its own successful reads). */
export function leaveUnrecorded(res: Response): void {
  unrecorded.add(res);
}

/**
 * Records one entry per request in `buffer`, with secrets redacted. Mount it through
 * createApp's `middleware` option, so it runs after the request id and the JSON body exist.
 *
 * It returns two middleware. Once a middleware calls `next(error)`, Express skips every
 * ordinary (three-argument) middleware and only runs error (four-argument) ones. A request
 * whose body failed to parse (malformed JSON 400, 413, 415) never reaches `recordRequest`,
 * so its four-argument twin records it instead.
 */
export function recordRequests(buffer: RingBuffer<LogEntry>): [RequestHandler, ErrorRequestHandler] {
  const recordRequest: RequestHandler = (req, res, next) => {
    recordWhenDone(req, res, buffer);
    next();
  };
  const recordRejectedRequest: ErrorRequestHandler = (error, req, res, next) => {
    recordWhenDone(req, res, buffer);
    next(error);
  };
  // Express tells the two kinds apart by their number of parameters.
  return [recordRequest, recordRejectedRequest];
}

/**
 * Takes what the request brought now (redacted copies), and pushes the entry once the
 * response is finished. `next()` returns long before that: the handler has not even run
 * when it is async, so status and duration are only known in the 'finish' event.
 */
function recordWhenDone(req: Request, res: Response, buffer: RingBuffer<LogEntry>): void {
  const startedAt = performance.now();
  const arrived = {
    requestId: String(res.locals.requestId),
    method: req.method,
    path: req.originalUrl.split('?')[0] ?? '/',
    query: redact({ ...req.query }),
    headers: redact({ ...req.headers }),
    ...(req.body === undefined ? {} : { body: summarise(redact(req.body as unknown)) }),
    ...(req.ip ? { ip: req.ip } : {}),
  };
  let recorded = false;
  const record = (status: number) => {
    if (recorded || unrecorded.has(res)) return;
    recorded = true;
    const durationMs = Number((performance.now() - startedAt).toFixed(2));
    buffer.push({ at: new Date().toISOString(), ...arrived, status, durationMs });
  };
  res.once('finish', () => record(res.statusCode));
  // 'close' follows every 'finish' too; only a close before the response finished means the client left.
  res.once('close', () => {
    if (!res.writableFinished) record(CLIENT_CLOSED_REQUEST);
  });
}

function summarise(body: unknown): unknown {
  const bytes = Buffer.byteLength(JSON.stringify(body) ?? '');
  return bytes <= MAX_BODY_BYTES ? body : `[${bytes} bytes of JSON, not kept]`;
}
