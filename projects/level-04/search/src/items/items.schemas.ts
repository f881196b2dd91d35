import { clientBody, IdParams } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.

export const ItemId = IdParams;

/** The highest price, in cents: 1,000,000.00. */
export const MAX_PRICE = 100_000_000;

/** A category or a tag: lower-case letters, digits and dashes, so facets never split on case or spaces. */
export const Slug = z
  .string()
  .min(1)
  .max(30)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits, words joined by "-"')
  .meta({ example: 'kitchen' });

export const Price = z.int().min(0).max(MAX_PRICE).meta({ description: 'in cents, a whole number', example: 1299 });

/** Up to 10 tags, each once. */
const Tags = z
  .array(Slug)
  .max(10)
  .refine((tags) => new Set(tags).size === tags.length, 'must not repeat a tag');

const itemFields = {
  title: z.string().trim().min(1).max(200).meta({ example: 'Blue ceramic mug' }),
  description: z.string().trim().max(5000).default('').meta({ example: 'A hand-glazed mug for a large café crème.' }),
  category: Slug,
  price: Price,
  tags: Tags.default([]),
};

/** POST /items. Server-set fields (owner, _id, createdAt…) are accepted and dropped; any other unknown field is a 400. */
export const ItemInput = clientBody(z.object(itemFields));
export type ItemInput = z.output<typeof ItemInput>;

/** PATCH /items/:id: any non-empty subset of the fields. */
export const ItemPatch = clientBody(
  z.object({
    title: itemFields.title.optional(),
    description: z.string().trim().max(5000).optional(),
    category: itemFields.category.optional(),
    price: itemFields.price.optional(),
    tags: Tags.optional(),
  }),
).refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type ItemPatch = z.output<typeof ItemPatch>;

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

export const ItemView = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    price: z.int(),
    tags: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Item' });
export type ItemView = z.infer<typeof ItemView>;
