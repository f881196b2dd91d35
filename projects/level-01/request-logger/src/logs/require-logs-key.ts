import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, stage } from '@hub/core';
import type { RequestHandler } from 'express';

/** Hashing first gives two equal-length buffers, which timingSafeEqual needs, whatever was sent. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * When `key` is set, lets a request through only if its X-Logs-Key header equals it,
 * compared in constant time so response timing does not reveal how much of a guess was right.
 * When `key` is unset, /logs is open: fine on a laptop, never in production.
 */
export function requireLogsKey(key: string | undefined): RequestHandler {
  if (key === undefined) {
    return function logsAreOpen(_req, _res, next) {
      next();
    };
  }
  const expected = digest(key);
  return stage('authn', (req) => {
    const given = req.get('x-logs-key');
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      // A 401 must say how to authenticate (RFC 9110): here, with a key of our own scheme.
      throw new AppError(401, 'unauthorized', 'Reading the logs needs the X-Logs-Key header with the configured key.', {
        headers: { 'WWW-Authenticate': 'LogsKey realm="logs", header="X-Logs-Key"' },
      });
    }
  });
}
