import { z } from 'zod';

/** Any JSON object (not an array, not a bare value), up to BODY_LIMIT. */
export const EchoBody = z
  .record(z.string(), z.unknown())
  .meta({ id: 'EchoBody', example: { note: 'hello', password: 'hunter2', nested: { token: 'abc' } } });

export const SlowQuery = z.strictObject({
  ms: z.coerce.number().int().min(0).max(5000).default(100).meta({ description: 'how long to wait, 0 to 5000 ms' }),
});

export const Waited = z.object({ waitedMs: z.int() }).meta({ id: 'Waited' });
