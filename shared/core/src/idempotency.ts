/*
 * Idempotency-Key for POST (IETF draft-ietf-httpapi-idempotency-key-header): a client that
 * retries a request with the same key gets the first request's answer instead of a second effect.
 *
 * - No key → 400 naming the `idempotency-key` header (when the route requires one).
 * - A fresh key is claimed with one `SET NX` in Redis, scoped per account: of any number of
 *   concurrent requests with one key exactly one runs the handler. The claim holds a
 *   fingerprint of the request (method, path, canonical JSON body).
 * - While the first is in flight, the same key → 409; the same key with another fingerprint →
 *   422, in flight or done (the draft's two errors).
 * - When the handler answers below 500, the answer (status, Content-Type, Location, body) is
 *   stored under the key for `ttlSeconds`, BEFORE it is sent, so a client that saw the answer
 *   and retries always finds it; a replay gets it back with `Idempotent-Replayed: true`.
 * - A 5xx answer releases the key (nothing was promised; the client may retry). A process that
 *   dies mid-request leaves its claim, which expires after `lockSeconds`.
 * Keys live in Redis (they are a short-lived protocol detail, not data); expiry is Redis's PX.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { AppError, badRequest } from './errors.ts';
import { logger } from './logger.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotencyOptions {
  /** The Redis the keys are stored in. */
  redis: Redis;
  /** Starts every key written (`email-queue:idem:`); the client's own keyPrefix applies first. */
  prefix: string;
  /** How long a finished answer is replayed for the same key (the draft calls it the key's expiry). */
  ttlSeconds: number;
  /** How long a claim holds when its request never answers (the process died): then the key is free again. */
  lockSeconds?: number;
  /** Who the key belongs to: keys of different accounts never meet. Default: the signed-in principal's id. */
  scope?: (req: Request) => string;
  /** false: a request without the header passes through, not idempotent. Default true (400). */
  required?: boolean;
}

/** What Redis holds for a key: a claim in flight, or the answer that was sent. */
type KeyRecord =
  | { state: 'running'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; contentType?: string; location?: string; body: string };

// The draft's key is a Structured Field string ("…"); a bare token is accepted too. Printable ASCII, at most 255.
const KEY_VALUE = /^[\x21-\x7e]{1,255}$/;

/** The header's value without its sf-string quotes, or undefined when absent; a malformed one is a 400. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get(IDEMPOTENCY_HEADER);
  if (raw === undefined) return undefined;
  const value = /^"(.*)"$/.exec(raw.trim())?.[1] ?? raw.trim();
  if (!KEY_VALUE.test(value) || value.includes('"')) {
    throw badRequest('The Idempotency-Key header must be 1 to 255 printable ASCII characters.', [
      { in: 'headers', field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 printable ASCII characters (a quoted string)' },
    ]);
  }
  return value;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are one request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The request's fingerprint: its method, path and body; the same key with another one is a misuse (422). */
export function fingerprintOf(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.baseUrl}${req.path}\n${canonicalJson(req.body)}`)
    .digest('base64url');
}

const missingKey = () =>
  badRequest('This request needs an Idempotency-Key header, so a retry cannot act twice.', [
    { in: 'headers', field: IDEMPOTENCY_HEADER, message: 'is required' },
  ]);
const inFlight = () =>
  new AppError(409, 'idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed; retry later.', {
    headers: { 'Retry-After': '1' },
  });
const reused = () =>
  new AppError(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request (another body or path).');

/**
 * The middleware: put it on a route line after authenticate() (keys are per account) and
 * before the handler. See the file's header for what it guarantees.
 */
export function idempotent(options: IdempotencyOptions): RequestHandler {
  const { redis, prefix, ttlSeconds, lockSeconds = 60, required = true } = options;
  const scope = options.scope ?? ((req: Request) => req.principal?.id ?? 'anonymous');

  return async function idempotency(req: Request, res: Response, next: NextFunction) {
    try {
      const key = idempotencyKeyOf(req);
      if (key === undefined) {
        if (required) throw missingKey();
        next();
        return;
      }
      const redisKey = `${prefix}${scope(req)}:${createHash('sha256').update(key).digest('base64url')}`;
      const fingerprint = fingerprintOf(req);
      const claim: KeyRecord = { state: 'running', fingerprint };
      const claimed = await redis.set(redisKey, JSON.stringify(claim), 'PX', lockSeconds * 1000, 'NX');
      if (claimed !== 'OK') {
        replayOrRefuse(res, await redis.get(redisKey), fingerprint);
        return;
      }
      recordAnswer(res, { redis, redisKey, fingerprint, ttlSeconds });
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The key is taken: answer what it holds, or refuse (409 in flight, 422 another request). */
function replayOrRefuse(res: Response, raw: string | null, fingerprint: string): void {
  // Gone between SET NX and GET: it was released (a 5xx) or expired; the client may simply retry.
  if (raw === null) throw inFlight();
  const record = JSON.parse(raw) as KeyRecord;
  if (record.fingerprint !== fingerprint) throw reused();
  if (record.state === 'running') throw inFlight();
  res.status(record.status).set(REPLAYED_HEADER, 'true');
  if (record.contentType) res.set('Content-Type', record.contentType);
  if (record.location) res.location(record.location);
  res.send(record.body);
}

/** Stores the handler's answer under the key before it is sent (a 5xx releases the key instead). */
function recordAnswer(
  res: Response,
  { redis, redisKey, fingerprint, ttlSeconds }: { redis: Redis; redisKey: string; fingerprint: string; ttlSeconds: number },
): void {
  const send = res.send;
  let recorded = false;
  res.send = function sendRecorded(this: Response, body?: unknown) {
    // res.json(object) and res.send(object) come back here with the string: record that one.
    if (recorded || !(typeof body === 'string' || Buffer.isBuffer(body))) return send.call(this, body);
    recorded = true;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const write =
      this.statusCode >= 500
        ? redis.del(redisKey)
        : redis.set(redisKey, JSON.stringify(doneRecord(this, fingerprint, text)), 'PX', ttlSeconds * 1000);
    write
      .catch((error: unknown) => logger.warn('idempotency: the answer was not recorded', { error }))
      .finally(() => send.call(this, body));
    return this;
  } as Response['send'];
}

function doneRecord(res: Response, fingerprint: string, body: string): KeyRecord {
  const contentType = res.get('Content-Type');
  const location = res.get('Location');
  return {
    state: 'done',
    fingerprint,
    status: res.statusCode,
    ...(contentType ? { contentType } : {}),
    ...(location ? { location } : {}),
    body,
  };
}
