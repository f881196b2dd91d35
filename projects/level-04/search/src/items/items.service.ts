import { notFound, ownedBy, type Principal } from '@hub/core';
import mongoose from 'mongoose';
import { adjustTotals, indexItem, indexNewItems, lengthsOf, nextPlace, reserve, unindexItem, type Indexable } from '../search/indexer.ts';
import type { ServiceConfig } from '../config.ts';
import { can } from '../permissions.ts';
import { FIELDS } from '../search/ranking.ts';
import { tokenise } from '../search/text.ts';
import { generateCatalogue } from './catalogue.ts';
import { Item, type ItemRecord } from './item.model.ts';
import type { ItemInput, ItemPatch, ItemView } from './items.schemas.ts';

// The use cases: each writes the item in one operation, then brings the index and totals in step.

/** What the API shows of a stored item: `id`, never `_id`, `owner` or the index's bookkeeping. */
export const toView = (item: ItemRecord): ItemView => ({
  id: String(item._id),
  title: item.title,
  description: item.description,
  category: item.category,
  price: item.price,
  tags: item.tags,
  createdAt: item.createdAt.toISOString(),
  updatedAt: item.updatedAt.toISOString(),
});

const noSuchItem = (id: string) => notFound(`No item with id ${id}.`);

/** An admin may change any item; anyone else only their own (the owner is in the filter: someone else's item is a 404). */
const changeableBy = (principal: Principal, permission: 'items:update:any' | 'items:delete:any') =>
  can(principal, permission) ? {} : ownedBy(principal);

/** `now` is the creation time; a test passes its own to order items by date. */
export async function createItem(principal: Principal, input: ItemInput, now = new Date()): Promise<ItemView> {
  const lengths = lengthsOf(input);
  const item = (
    await insertWithPlace(reserve(1, lengths), (seq) =>
      Item.create({ ...input, owner: principal.id, seq, rev: 1, lengths, createdAt: now, updatedAt: now }),
    )
  ).toObject() as ItemRecord;
  await indexItem(item);
  return toView(item);
}

/**
 * Inserts with the catalogue place reserved. A place taken twice (11000 on the unique seq
 * index: mongo-java-server can hand two concurrent findOneAndUpdate callers the same $inc
 * result; MongoDB never does) gets a fresh place, counted once: the totals are already right.
 */
async function insertWithPlace<T>(reserved: Promise<number>, insert: (seq: number) => Promise<T>): Promise<T> {
  let seq = await reserved;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await insert(seq);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000 || attempt >= 5) throw error;
      seq = await nextPlace();
    }
  }
}

export async function readItem(id: string): Promise<ItemView> {
  const item = await Item.findById(id).lean<ItemRecord>();
  if (!item) throw noSuchItem(id);
  return toView(item);
}

/** One atomic update (the revision goes up by one); the totals change by the difference in words. */
export async function updateItem(principal: Principal, id: string, patch: ItemPatch): Promise<ItemView> {
  // Words per field for the fields the patch replaces; the others keep their stored count.
  const changed: Partial<ItemRecord['lengths']> = Object.fromEntries(
    FIELDS.flatMap((field) => (patch[field] === undefined ? [] : [[field, tokenise(patch[field]).length]])),
  );
  const updatedAt = new Date();
  const before = await Item.findOneAndUpdate(
    { _id: id, ...changeableBy(principal, 'items:update:any') },
    {
      $set: { ...patch, ...Object.fromEntries(Object.entries(changed).map(([field, words]) => [`lengths.${field}`, words])), updatedAt },
      $inc: { rev: 1 },
    },
    { returnDocument: 'before', timestamps: false },
  ).lean<ItemRecord>();
  if (!before) throw noSuchItem(id);
  const after: ItemRecord = { ...before, ...patch, updatedAt, rev: before.rev + 1, lengths: { ...before.lengths, ...changed } };
  await adjustTotals(0, {
    title: after.lengths.title - before.lengths.title,
    description: after.lengths.description - before.lengths.description,
  });
  await indexItem(after, before);
  return toView(after);
}

export async function deleteItem(principal: Principal, id: string): Promise<void> {
  const item = await Item.findOneAndDelete({ _id: id, ...changeableBy(principal, 'items:delete:any') }).lean<ItemRecord>();
  if (!item) throw noSuchItem(id);
  await unindexItem(item);
  await adjustTotals(-1, { title: -item.lengths.title, description: -item.lengths.description });
}

/** The seed catalogue's owner: no account, so nobody but an admin can change a seeded item. */
export const SEED_OWNER = new mongoose.Types.ObjectId('000000000000000000000000');

/** What server.ts does on start: in development, an empty catalogue gets SEED_ITEMS generated items. */
export async function seedOnStart(config: Pick<ServiceConfig, 'NODE_ENV' | 'SEED_ITEMS'>): Promise<number> {
  return config.NODE_ENV === 'development' ? seedCatalogue(config.SEED_ITEMS) : 0;
}

/** Adds `count` generated items when the catalogue is empty; answers how many were added. */
export async function seedCatalogue(count: number, seed = 42): Promise<number> {
  if (count === 0 || (await Item.exists({}))) return 0;
  const generated = generateCatalogue(count, seed).map((input) => ({ ...input, lengths: lengthsOf(input) }));
  const totals = generated.reduce(
    (sum, { lengths }) => ({ title: sum.title + lengths.title, description: sum.description + lengths.description }),
    { title: 0, description: 0 },
  );
  const first = await reserve(count, totals);
  const items: Indexable[] = generated.map((input, index) => ({
    ...input,
    _id: new mongoose.Types.ObjectId(),
    owner: SEED_OWNER,
    seq: first + index,
    rev: 1,
    updatedAt: input.createdAt,
  }));
  await Item.insertMany(items, { ordered: false, lean: true });
  await indexNewItems(items);
  return count;
}
