import mongoose, { type Model, type QueryFilter, type Types } from 'mongoose';
import { z } from 'zod';
import { badRequest } from './errors.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** The query parameters every listing accepts; spread into a listing's own query schema with pageQuery(). */
export const pagination = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `items per page, 1 to ${MAX_PAGE_SIZE}` }),
  page: z.coerce.number().int().min(1).max(100_000).optional().meta({ description: 'page number from 1 (default 1); or use cursor' }),
  cursor: z.string().min(1).max(512).optional().meta({ description: 'nextCursor from the previous page' }),
};

export type PageParams = { limit: number; page?: number | undefined; cursor?: string | undefined };

/**
 * A listing's query schema: its own filters plus limit, page and cursor. Unknown parameters
 * are refused, and page and cursor cannot be combined.
 */
export function pageQuery<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .strictObject({ ...pagination, ...shape })
    .refine((query) => !('page' in query && 'cursor' in query && query.page !== undefined && query.cursor !== undefined), {
      message: 'use page or cursor, not both',
      path: ['cursor'],
    });
}

/** The response shape of a listing, for the OpenAPI document. */
export function pageOf<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      items: z.array(item),
      total: z.int().describe('items matching the filters, on all pages'),
      limit: z.int(),
      page: z.int().nullable().describe('this page number; null when the page was asked by cursor'),
      pages: z.int().describe('number of pages of `limit` items'),
      nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
    })
    .meta({ id });
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  page: number | null;
  pages: number;
  nextCursor: string | null;
}

export type Sort = Record<string, 1 | -1>;
type Lean<T> = T & { _id: Types.ObjectId };

/**
 * One page of `model` documents matching `filter`, in `sort` order (`_id` is added as the last
 * key, so the order is total). The count of all matches runs in parallel with the page query.
 *
 * By page number: skip (page − 1) × limit. By cursor: the documents after the last one of the
 * previous page, so rows inserted or deleted meanwhile neither repeat nor go missing. Sort keys
 * must be fields every document has (not null), or the cursor cannot express "after".
 */
export async function paginate<Raw, View>(
  model: Model<Raw>,
  { filter, sort, map }: { filter: QueryFilter<Raw>; sort: Sort; map: (doc: Lean<Raw>) => View },
  { limit, page, cursor }: PageParams,
): Promise<Page<View>> {
  const order: Sort = { ...sort, _id: sort._id ?? -1 };
  const keys = Object.keys(order);
  const query = cursor ? { $and: [filter, after(order, decodeCursor(cursor, keys))] } : filter;
  const skip = cursor ? 0 : ((page ?? 1) - 1) * limit;
  const [docs, total] = await Promise.all([
    model
      .find(query as QueryFilter<Raw>)
      .sort(order)
      .skip(skip)
      .limit(limit + 1)
      .lean<Array<Lean<Raw>>>(),
    model.countDocuments(filter),
  ]);
  const items = docs.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    total,
    limit,
    page: cursor ? null : (page ?? 1),
    pages: Math.ceil(total / limit),
    nextCursor: docs.length > limit && last ? encodeCursor(keys, last as Record<string, unknown>) : null,
  };
}

// A cursor is base64url JSON: the sort keys (so a cursor from another order is refused) and
// the last item's values for them, with dates and ids tagged so they come back as such.
type Encoded = string | number | boolean | { date: string } | { id: string };

function encodeCursor(keys: string[], doc: Record<string, unknown>): string {
  const values = keys.map((key): Encoded => {
    const value = doc[key];
    if (value instanceof Date) return { date: value.toISOString() };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (value && typeof value === 'object' && '_bsontype' in value && value._bsontype === 'ObjectId') return { id: String(value) };
    throw new Error(`paginate: sort key ${key} is ${value === null || value === undefined ? 'missing' : 'not a scalar'} on a document`);
  });
  return Buffer.from(JSON.stringify({ k: keys, v: values })).toString('base64url');
}

const CursorShape = z.object({
  k: z.array(z.string()),
  v: z.array(
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.object({ date: z.iso.datetime() }),
      z.object({ id: z.string().regex(/^[a-f\d]{24}$/) }),
    ]),
  ),
});

function decodeCursor(cursor: string, keys: string[]): unknown[] {
  let parsed: z.infer<typeof CursorShape> | undefined;
  try {
    parsed = CursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.k.join() !== keys.join() || parsed.v.length !== keys.length) {
    throw badRequest('The cursor is not valid for this listing.', [
      { in: 'query', field: 'cursor', message: 'must be the nextCursor of a previous page of this listing, with the same sort' },
    ]);
  }
  return parsed.v.map((value) => {
    if (typeof value !== 'object') return value;
    return 'date' in value ? new Date(value.date) : new mongoose.Types.ObjectId(value.id);
  });
}

/** `{ $or: [ {a: {$lt: va}}, {a: va, b: {$lt: vb}}, … ] }`: strictly after `values` in `order`. */
function after(order: Sort, values: unknown[]): Record<string, unknown> {
  const keys = Object.keys(order);
  return {
    $or: keys.map((key, index) => ({
      ...Object.fromEntries(keys.slice(0, index).map((earlier, at) => [earlier, values[at]])),
      [key]: { [order[key] === 1 ? '$gt' : '$lt']: values[index] },
    })),
  };
}
