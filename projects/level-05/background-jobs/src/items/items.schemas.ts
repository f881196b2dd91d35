import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.

export const ItemId = IdParams;

/** POST /items. Server-set fields (owner, _id, createdAt…) are accepted and dropped; any other unknown field is a 400. */
export const ItemInput = clientBody(
  z.object({
    name: z.string().trim().min(1).max(100).meta({ example: 'Blue mug' }),
    quantity: z.int().min(0).max(1_000_000).default(1).meta({ description: 'a whole number from 0 to 1,000,000; 1 when absent' }),
  }),
);
export type ItemInput = z.output<typeof ItemInput>;

/** GET /items: the shared limit, page and cursor; add the listing's own filters here. */
export const ItemListQuery = pageQuery({});
export type ItemListQuery = z.output<typeof ItemListQuery>;

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

export const ItemView = z
  .object({
    id: z.string(),
    name: z.string(),
    quantity: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Item' });
export type ItemView = z.infer<typeof ItemView>;

export const ItemPage = pageOf(ItemView, 'ItemPage');
