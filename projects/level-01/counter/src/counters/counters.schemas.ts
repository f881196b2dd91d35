import { z } from 'zod';

export const CounterName = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only, at most 64 characters')
    .meta({ example: 'page-views' }),
});

/** How much to add or remove; 1 when the body is empty. */
export const Step = z
  .strictObject({ by: z.int().min(1).max(1000).default(1).meta({ description: 'a whole number from 1 to 1000' }) })
  .prefault({});

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const CounterView = z.object({ name: z.string(), value: z.int(), updatedAt: z.iso.datetime() }).meta({ id: 'Counter' });
export type CounterView = z.infer<typeof CounterView>;

export const CounterList = z.object({ items: z.array(CounterView) }).meta({ id: 'CounterList' });
