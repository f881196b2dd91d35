import { z } from 'zod';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** One recorded request. Secrets in headers, query and body are already `[REDACTED]`. */
export const LogEntry = z
  .object({
    at: z.iso.datetime().meta({ description: 'when the request reached the recorder' }),
    requestId: z.string().meta({ description: 'the X-Request-Id the response carried' }),
    method: z.string(),
    path: z.string().meta({ description: 'without the query string', example: '/echo' }),
    query: z.record(z.string(), z.unknown()),
    status: z.int().meta({ description: 'the status sent; 499 when the client hung up before the response was sent' }),
    durationMs: z.number().min(0),
    headers: z.record(z.string(), z.unknown()),
    body: z.unknown().optional().meta({ description: 'the parsed JSON body, if any; large bodies are summarised' }),
    ip: z.string().optional(),
  })
  .meta({ id: 'LogEntry' });
export type LogEntry = z.infer<typeof LogEntry>;

export const LogsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'at most this many entries, 1 to 200' }),
  status: z.coerce.number().int().min(100).max(599).optional().meta({ description: 'only entries with this status' }),
  method: z.enum(METHODS).optional().meta({ description: 'only entries with this method (upper case)' }),
});

export const LogList = z
  .object({
    items: z.array(LogEntry).meta({ description: 'newest first' }),
    capacity: z.int().meta({ description: 'the most entries the service keeps (LOGS_CAPACITY)' }),
  })
  .meta({ id: 'LogList' });
