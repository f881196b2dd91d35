import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import { inspectError, type Inspection } from './inspector.ts';
import { logger } from './logger.ts';
import { timingsOf } from './timing.ts';

/** One field that was wrong, and where it came from. */
export interface FieldError {
  in?: 'body' | 'query' | 'params' | 'headers';
  field: string;
  message: string;
}

interface AppErrorOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** false for programmer errors and broken dependencies: logged in full, answered as 500. */
  isTrusted?: boolean;
  /** The pipeline stage that decided this answer, when it is not the handler (parse, route, db…). */
  stage?: string;
  /** RFC 9457 extension members a protocol asks for beside the standard ones (OFREP's errorCode); they never replace those. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type services throw. The error handler turns it into problem+json. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly isTrusted: boolean;
  readonly stage: string | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    { errors, headers = {}, isTrusted = true, stage, extensions = {}, cause }: AppErrorOptions = {},
  ) {
    super(detail, { cause });
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.headers = headers;
    this.isTrusted = isTrusted;
    this.stage = stage;
    this.extensions = extensions;
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new AppError(400, 'bad-request', detail, errors ? { errors } : {});
export const notFound = (detail = 'No such resource.') => new AppError(404, 'not-found', detail);
export const forbidden = (detail = 'You are not allowed to do this.') => new AppError(403, 'forbidden', detail);
export const conflict = (detail: string, errors?: FieldError[]) => new AppError(409, 'conflict', detail, errors ? { errors } : {});

/** RFC 9457 problem details, as every error response body. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ in: z.string().optional(), field: z.string(), message: z.string() })).optional(),
    stack: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;

/** Unknown route under a known app: a 404 problem naming the method and path. */
export const answerNotFound: RequestHandler = (req, res, next) => {
  timingsOf(res).fail('route');
  next(new AppError(404, 'not-found', `No route for ${req.method} ${req.path}.`));
};

/** Turns anything thrown into an AppError; unknown errors become an untrusted 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Client input is checked by validate(), which answers 400 itself. A ZodError that gets here
  // was thrown while the server shaped its own data: a bug on our side, so it stays a 500.
  if (error instanceof mongoose.Error.CastError) {
    return badRequest(`${error.path} is not a valid ${error.kind}.`, [{ field: error.path, message: `must be a valid ${error.kind}` }]);
  }
  if (error instanceof mongoose.Error.ValidationError) {
    const errors = Object.values(error.errors).map((inner) => ({ field: inner.path, message: inner.message }));
    return badRequest('The data is not valid.', errors);
  }
  if (isDuplicateKey(error)) {
    const fields = duplicateFields(error);
    return conflict(
      `A resource with the same ${fields.join(', ') || 'key'} already exists.`,
      fields.map((field) => ({ field, message: 'is already taken' })),
    );
  }
  const known = fromBodyParser(error) ?? fromRouter(error) ?? fromDependency(error) ?? fromClientStatus(error);
  if (known) return known;
  return new AppError(500, 'internal', error instanceof Error ? error.message : String(error), { isTrusted: false, cause: error });
}

/** One FieldError per problem; an unknown key is named as the field itself. */
export function fieldErrors(issues: z.core.$ZodIssue[], location?: FieldError['in']): FieldError[] {
  const at = (path: PropertyKey[], message: string): FieldError => ({
    ...(location ? { in: location } : {}),
    field: path.map(String).join('.') || '(root)',
    message,
  });
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => at([...issue.path, key], 'is not a known field'))
      : [at(issue.path, issue.message)],
  );
}

interface MongoDuplicateKey {
  code: 11000;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
  message: string;
}

function isDuplicateKey(error: unknown): error is MongoDuplicateKey {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function duplicateFields(error: MongoDuplicateKey): string[] {
  const keys = error.keyValue ?? error.keyPattern;
  if (keys) return Object.keys(keys);
  // Engines that omit keyValue still name the index: "index: owner_1_email_1 dup key".
  const index = /index: (\S+)/.exec(error.message)?.[1];
  return index
    ? index
        .replace(/_-?1(_|$)/g, ' ')
        .trim()
        .split(' ')
    : [];
}

/** body-parser reports its failures as errors with a `type`; map the ones a client can cause. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const { type, limit } = error as { type: unknown; limit?: number };
  const parse = { stage: 'parse' };
  switch (type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed-json', 'The request body is not valid JSON.', parse);
    case 'entity.too.large':
      return new AppError(
        413,
        'payload-too-large',
        `The request body is larger than the ${limit ?? ''} byte limit.`.replace('  ', ' '),
        parse,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported-encoding', 'The request body uses an encoding or charset this API does not accept.', parse);
    case 'request.aborted':
      return new AppError(400, 'request-aborted', 'The client closed the request before the body arrived.', parse);
    case 'request.size.invalid':
      return new AppError(400, 'bad-request', 'The request body does not match its Content-Length.', parse);
    default:
      return undefined;
  }
}

/** Express's router could not percent-decode a path parameter (`/counters/%E0%A4%A`): a URIError marked 400. */
function fromRouter(error: unknown): AppError | undefined {
  if (!(error instanceof URIError) || statusOf(error) !== 400) return undefined;
  return new AppError(
    400,
    'malformed-path',
    'The path is not valid percent-encoding (a % must be followed by two hex digits forming UTF-8).',
    {
      stage: 'route',
    },
  );
}

// The driver's and mongoose's ways of saying "MongoDB did not answer": no server could be
// selected, the socket failed or timed out, the pool was cleared, or commands stayed buffered
// while disconnected.
const MONGO_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);

/**
 * A dependency that does not answer is not a bug in our code: 503 with Retry-After, so
 * clients and load balancers back off and try again, and the log says which dependency failed.
 */
function fromDependency(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const buffered = error.name === 'MongooseError' && /buffering timed out/.test(error.message);
  if (!MONGO_UNAVAILABLE.has(error.name) && !buffered) return undefined;
  return new AppError(503, 'database-unavailable', 'The database is not answering right now; try again shortly.', {
    headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    stage: 'db',
    cause: error,
  });
}

/** How long a 503 for a dependency that stopped answering tells the client to wait. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

function statusOf(error: object): number | undefined {
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = status ?? statusCode;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * Any other error a library marked with a 4xx `status` or `statusCode` (http-errors, Express,
 * body-parser, multer…) was caused by the request: answer that status, never 500. Its message
 * is shown only when the library marked it safe to expose.
 */
function fromClientStatus(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = statusOf(error);
  if (status === undefined || status < 400 || status > 499) return undefined;
  const { expose, message } = error as { expose?: unknown; message?: unknown };
  const title = STATUS_CODES[status] ?? 'Client Error';
  const detail = expose !== false && typeof message === 'string' && message ? message : `${title}.`;
  return new AppError(
    status,
    title
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, ''),
    detail,
    { cause: error },
  );
}

export function problemOf(error: AppError, req: Request, requestId: string, development: boolean): Problem & Record<string, unknown> {
  // Outside development a 500, or any error we did not raise on purpose, says nothing about
  // its cause. A deliberate 5xx (503 not ready) keeps its detail.
  const hidden = !development && (error.status === 500 || !error.isTrusted);
  const origin = error.cause instanceof Error ? error.cause : error;
  return {
    ...error.extensions,
    type: `urn:backend-hub:problem:${error.code}`,
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: hidden ? 'Something went wrong on our side. Quote the request id if you report it.' : error.message,
    instance: req.originalUrl.split('?')[0] ?? req.originalUrl,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(development && error.status >= 500 && origin.stack ? { stack: origin.stack } : {}),
  };
}

/**
 * The last middleware: every failure becomes an RFC 9457 problem+json response.
 * Outside development a 500 never shows its message or its stack.
 */
export function handleErrors({ development }: { development: boolean }): ErrorRequestHandler {
  return function answerWithProblem(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = toAppError(error);
    const timings = timingsOf(res);
    timings.fail(appError.stage ?? 'handler');
    const problem = problemOf(appError, req, String(res.locals.requestId), development);
    res.locals.problem = problem;
    if (development && appError.status >= 500)
      inspectError(res.locals.inspection as Inspection | undefined, appError.cause instanceof Error ? appError.cause : appError);
    // The path only: a query string can carry a secret (a reset token in a mailed link).
    const path = req.originalUrl.split('?')[0] ?? req.path;
    if (appError.code === 'database-unavailable') {
      // A dependency failing, not a bug: one warning line without a stack.
      const reason = appError.cause instanceof Error ? `${appError.cause.name}: ${appError.cause.message}` : '';
      logger.warn(`${req.method} ${path}: MongoDB is not answering (${reason})`);
    } else if (appError.status >= 500) {
      logger.error(`${req.method} ${path} failed`, { error: appError.cause ?? appError });
    }
    res.status(appError.status).set(appError.headers).type('application/problem+json').json(problem);
  };
}
