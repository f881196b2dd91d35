// Keeps the inverted index in step with the items: called by the item use cases after each
// write. Every change is a single-document update of one term's list (no transactions).
import type { AnyBulkWriteOperation, Types } from 'mongoose';
import { Item } from '../items/item.model.ts';
import { CATALOGUE_ID, Catalogue } from './catalogue.model.ts';
import type { Field } from './ranking.ts';
import { encodeEntry, Term, type PostingEntry, type TermRecord } from './term.model.ts';
import { termFrequencies, tokenise } from './text.ts';

/** What the index needs of an item. */
export interface Indexable {
  _id: Types.ObjectId;
  title: string;
  description: string;
  category: string;
  price: number;
  tags: string[];
  createdAt: Date;
  seq: number;
  rev: number;
}

export type Lengths = Record<Field, number>;

/** Words per indexed field. */
export const lengthsOf = (item: Pick<Indexable, Field>): Lengths => ({
  title: tokenise(item.title).length,
  description: tokenise(item.description).length,
});

/** term → the item's entry in that term's list. */
export function entriesOf(item: Indexable): Map<string, PostingEntry> {
  const title = tokenise(item.title);
  const description = tokenise(item.description);
  const [inTitle, inDescription] = [termFrequencies(title), termFrequencies(description)];
  const facets = { r: item.rev, s: item.seq, c: item.category, p: item.price, g: item.tags, at: item.createdAt.getTime() };
  const terms = new Set([...inTitle.keys(), ...inDescription.keys()]);
  return new Map(
    [...terms].map((term) => [
      term,
      { t: inTitle.get(term) ?? 0, tl: title.length, d: inDescription.get(term) ?? 0, dl: description.length, ...facets },
    ]),
  );
}

/**
 * Takes `count` places in the catalogue and adds their words to the totals, in one $inc.
 * Returns the first place taken.
 */
export async function reserve(count: number, lengths: Lengths): Promise<number> {
  const catalogue = await Catalogue.findOneAndUpdate(
    { _id: CATALOGUE_ID },
    { $inc: { items: count, seq: count, 'lengths.title': lengths.title, 'lengths.description': lengths.description } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return (catalogue?.seq ?? count) - count + 1;
}

/** One more place in the catalogue, the totals left as they are. */
export async function nextPlace(): Promise<number> {
  const catalogue = await Catalogue.findOneAndUpdate(
    { _id: CATALOGUE_ID },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return catalogue?.seq ?? 1;
}

/** Changes the totals by `items` items and the given word counts (negative on a delete). */
export async function adjustTotals(items: number, lengths: Lengths): Promise<void> {
  await Catalogue.updateOne(
    { _id: CATALOGUE_ID },
    { $inc: { items, 'lengths.title': lengths.title, 'lengths.description': lengths.description } },
    { upsert: true },
  );
}

/** A duplicate key on an upsert means the term's list holds a newer revision of the item: nothing to do. */
async function ignoringDuplicates(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
    const codes = writeErrors?.map((writeError) => writeError.code) ?? [(error as { code?: number }).code];
    if (!codes.every((code) => code === 11000)) throw error;
  }
}

type Write = AnyBulkWriteOperation<TermRecord>;
const unset = (term: string, id: string, filter: Record<string, unknown> = {}): Write => ({
  updateOne: { filter: { _id: term, ...filter }, update: { $unset: { [`items.${id}`]: '' } } },
});

/**
 * Brings the index from `before` (the item as it was, or nothing for a new item) to `item`.
 * Each term's entry is set only where the list holds no newer revision (else the upsert meets
 * the unique _id and is dropped), and the terms it lost are unset only where the entry is older.
 * If the item changed again or went away meanwhile, this revision's entries that the stored item
 * does not have are taken back: the index ends as the last write left it, however writes interleave.
 */
export async function indexItem(item: Indexable, before?: Indexable): Promise<void> {
  const id = String(item._id);
  const entries = entriesOf(item);
  const notNewer = { [`items.${id}.r`]: { $not: { $gt: item.rev } } };
  const writes: Write[] = [...entries].map(([term, entry]) => ({
    updateOne: {
      filter: { _id: term, ...notNewer },
      update: { $set: { [`items.${id}`]: encodeEntry(entry) }, $setOnInsert: { length: term.length, seq: item.seq } },
      upsert: true,
    },
  }));
  const lost = before ? [...entriesOf(before).keys()].filter((term) => !entries.has(term)) : [];
  writes.push(...lost.map((term) => unset(term, id, { [`items.${id}.r`]: { $lt: item.rev } })));
  await ignoringDuplicates(Term.bulkWrite(writes, { ordered: false }));
  // What is stored now decides. A newer revision (or none: deleted) takes back all of this one's
  // entries. The same revision with other words happens on mongo-java-server, whose
  // findOneAndUpdate can return one `before` to two concurrent updates: then only the terms the
  // stored version does not have are taken back, so its own entries (written at the same revision) stay.
  const stored = await Item.findById(item._id).lean<Indexable>();
  const keep = stored?.rev === item.rev ? entriesOf(stored) : new Map<string, PostingEntry>();
  const takeBack = [...entries.keys()].filter((term) => !keep.has(term));
  if (takeBack.length > 0) await Term.bulkWrite(takeBack.map((term) => unset(term, id, { [`items.${id}.r`]: item.rev })));
}

/** Removes a deleted item from every list it was in. */
export async function unindexItem(item: Indexable): Promise<void> {
  const id = String(item._id);
  const terms = [...entriesOf(item).keys()];
  if (terms.length > 0) await Term.bulkWrite(terms.map((term) => unset(term, id)));
}

/**
 * Indexes new items in bulk (the seed): each term's list built here, then inserted whole; a
 * term the vocabulary already has gets the new entries by $set instead.
 */
export async function indexNewItems(items: readonly Indexable[]): Promise<void> {
  const lists = new Map<string, TermRecord>();
  for (const item of items) {
    for (const [term, entry] of entriesOf(item)) {
      const list = lists.get(term) ?? { _id: term, length: term.length, seq: item.seq, items: {} };
      list.items[String(item._id)] = encodeEntry(entry);
      lists.set(term, list);
    }
  }
  const known = new Set((await Term.find({ _id: { $in: [...lists.keys()] } }, { _id: 1 }).lean()).map((term) => term._id));
  const fresh = [...lists.values()].filter((list) => !known.has(list._id));
  // Batches keep each command well under MongoDB's message size.
  for (let start = 0; start < fresh.length; start += 20) await Term.insertMany(fresh.slice(start, start + 20), { lean: true });
  const additions: Write[] = [...known].map((term) => ({
    updateOne: {
      filter: { _id: term },
      update: { $set: Object.fromEntries(Object.entries(lists.get(term)?.items ?? {}).map(([id, entry]) => [`items.${id}`, entry])) },
    },
  }));
  if (additions.length > 0) await Term.bulkWrite(additions, { ordered: false });
}
