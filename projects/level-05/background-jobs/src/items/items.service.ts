import { notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import { Item, type ItemRecord } from './item.model.ts';
import type { ItemInput, ItemListQuery, ItemView } from './items.schemas.ts';

// The use cases: database work only, no req or res. Each one is a single MongoDB operation.

/** What the API shows of a stored item: `id`, never `_id`, `__v` or `owner`. */
const toView = (item: ItemRecord): ItemView => ({
  id: String(item._id),
  name: item.name,
  quantity: item.quantity,
  createdAt: item.createdAt.toISOString(),
  updatedAt: item.updatedAt.toISOString(),
});

// Someone else's item and an item that does not exist get the same answer.
const noSuchItem = (id: string) => notFound(`No item with id ${id}.`);

export async function createItem(principal: Principal, input: ItemInput): Promise<ItemView> {
  const item = await Item.create({ ...input, owner: principal.id });
  return toView(item.toObject());
}

/** The owner is part of the filter, so another user's item simply does not match: 404, never 403. */
export async function readItem(principal: Principal, id: string): Promise<ItemView> {
  const item = await Item.findOne({ _id: id, ...ownedBy(principal) }).lean<ItemRecord>();
  if (!item) throw noSuchItem(id);
  return toView(item);
}

export async function listItems(principal: Principal, page: ItemListQuery): Promise<Page<ItemView>> {
  return paginate(Item, { filter: ownedBy(principal), sort: { createdAt: -1 }, map: toView }, page);
}
