import { pagination, searchText } from '@hub/core';
import { z } from 'zod';
import { MAX_PRICE, Slug } from '../items/items.schemas.ts';

// GET /search: the query, its filters, its order and its page, all checked at the edge.

/** `?tags=a&tags=b` (a repeated parameter) or `?tags=a`: always a list here. */
const oneOrMany = (item: z.ZodType<string>) =>
  z
    .union([item, z.array(item).min(1).max(20)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional();

const price = z.coerce.number().int().min(0).max(MAX_PRICE).optional();

export const SORTS = ['relevance', 'price', '-price', 'newest', 'oldest'] as const;

export const SearchQuery = z
  .strictObject({
    q: searchText,
    category: oneOrMany(Slug).meta({ description: 'any of these categories; repeat the parameter for several' }),
    tags: oneOrMany(Slug).meta({ description: 'items with any of these tags; repeat the parameter for several' }),
    minPrice: price.meta({ description: 'cents, inclusive' }),
    maxPrice: price.meta({ description: 'cents, inclusive' }),
    sort: z.enum(SORTS).default('relevance'),
    limit: pagination.limit,
    cursor: z.string().min(1).max(1024).optional().meta({ description: 'nextCursor from the previous page of the same search' }),
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, {
    message: 'must not be below minPrice',
    path: ['maxPrice'],
  });
export type SearchQuery = z.output<typeof SearchQuery>;

const FacetCount = z.object({ value: z.string(), count: z.int() });

export const SearchHit = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  price: z.int(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  score: z.number().describe('BM25 relevance; higher is better'),
  highlight: z
    .object({ title: z.string(), description: z.string() })
    .describe('HTML-escaped text with the matched words in <mark>; the description cut around the first match'),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchPage = z
  .object({
    items: z.array(SearchHit),
    total: z.int().describe('items matching the query and filters'),
    limit: z.int(),
    nextCursor: z.string().nullable(),
    facets: z
      .object({ category: z.array(FacetCount), tags: z.array(FacetCount) })
      .describe("counts among the matches; each facet's own filter is left out of its counts"),
  })
  .meta({ id: 'SearchPage' });
export type SearchPage = z.infer<typeof SearchPage>;
