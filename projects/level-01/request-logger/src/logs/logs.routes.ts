import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { LogList, LogsQuery, type LogEntry } from './logs.schemas.ts';
import { leaveUnrecorded } from './record-requests.ts';
import { requireLogsKey } from './require-logs-key.ts';
import type { RingBuffer } from './ring-buffer.ts';

const listing = { query: LogsQuery };

/** GET /logs: the recent entries, newest first, optionally behind a read key. */
export function logsRoutes({ buffer, readKey }: { buffer: RingBuffer<LogEntry>; readKey: string | undefined }) {
  return new ApiRouter('logs').get(
    '/',
    {
      summary: 'The most recent requests, newest first, secrets redacted',
      description:
        'Filter by exact `status` and `method`. When the service has LOGS_READ_KEY set, send it in the X-Logs-Key header. ' +
        'Successful reads of /logs are not recorded themselves; refused ones are.',
      responses: { 200: LogList },
    },
    validate(listing),
    requireLogsKey(readKey),
    readLogs,
  );

  function readLogs(req: ValidRequest<typeof listing>, res: Response) {
    const { limit, status, method } = req.query;
    const items = buffer
      .entries()
      .reverse()
      .filter((entry) => (status === undefined || entry.status === status) && (method === undefined || entry.method === method))
      .slice(0, limit);
    // A dashboard polling /logs would otherwise push real traffic out of the buffer.
    leaveUnrecorded(res);
    res.set('Cache-Control', 'no-store').json({ items, capacity: buffer.capacity });
  }
}
