// Keeps the inverted index in step with the items: called by the item use cases after each
// write. Every write is a bulkWrite of single-document operations (no transactions).
import type { AnyBulkWriteOperation, Types } from 'mongoose';
import { Item } from '../items/item.model.ts';
import { CATALOGUE_ID, Catalogue } from './catalogue.model.ts';
import { Posting, type PostingRecord } from './posting.model.ts';
import { FIELDS, type Field } from './ranking.ts';
import { Term } from './term.model.ts';
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

/** The item's postings: one per distinct term of each field. */
export function postingsOf(item: Indexable): PostingRecord[] {
  return FIELDS.flatMap((field) => {
    const tokens = tokenise(item[field]);
    return [...termFrequencies(tokens)].map(([term, tf]) => ({
      term,
      item: item._id,
      field,
      tf,
      length: tokens.length,
      rev: item.rev,
      seq: item.seq,
      category: item.category,
      price: item.price,
      tags: item.tags,
      createdAt: item.createdAt,
    }));
  });
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

/** Changes the totals by `items` items and the given word counts (negative on a delete). */
export async function adjustTotals(items: number, lengths: Lengths): Promise<void> {
  await Catalogue.updateOne(
    { _id: CATALOGUE_ID },
    { $inc: { items, 'lengths.title': lengths.title, 'lengths.description': lengths.description } },
    { upsert: true },
  );
}

/** A duplicate key means another writer got there first (a term) or holds a newer revision (a posting): both fine. */
async function ignoringDuplicates(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
    const codes = writeErrors?.map((writeError) => writeError.code) ?? [(error as { code?: number }).code];
    if (!codes.every((code) => code === 11000)) throw error;
  }
}

function vocabularyOf(postings: readonly PostingRecord[]): Array<AnyBulkWriteOperation> {
  const first = new Map<string, number>();
  for (const { term, seq } of postings) first.set(term, Math.min(seq, first.get(term) ?? seq));
  return [...first].map(([term, seq]) => ({
    updateOne: { filter: { _id: term }, update: { $setOnInsert: { length: term.length, seq } }, upsert: true },
  }));
}

/**
 * Writes an item's postings for its revision, then removes those of older revisions. A
 * posting already written by a newer revision is left alone (its filter does not match, the
 * unique index refuses the insert), and if the item changed or went while this ran, the
 * postings of this revision are taken back: the index ends up as the last write left it.
 */
export async function indexItem(item: Indexable): Promise<void> {
  const postings = postingsOf(item);
  const upserts = postings.map((posting) => ({
    updateOne: {
      filter: { item: posting.item, field: posting.field, term: posting.term, rev: { $lte: item.rev } },
      update: { $set: posting },
      upsert: true,
    },
  }));
  await Promise.all([
    ignoringDuplicates(Posting.bulkWrite(upserts, { ordered: false })),
    ignoringDuplicates(Term.bulkWrite(vocabularyOf(postings), { ordered: false })),
  ]);
  await Posting.deleteMany({ item: item._id, rev: { $lt: item.rev } });
  if (!(await Item.exists({ _id: item._id, rev: item.rev }))) await Posting.deleteMany({ item: item._id, rev: item.rev });
}

/** Removes every posting of an item. */
export async function unindexItem(id: Types.ObjectId | string): Promise<void> {
  await Posting.deleteMany({ item: id });
}

/** Indexes new items in bulk (the seed): plain inserts, in batches. */
export async function indexNewItems(items: readonly Indexable[], batch = 20_000): Promise<void> {
  const postings = items.flatMap(postingsOf);
  for (let start = 0; start < postings.length; start += batch) {
    await Posting.insertMany(postings.slice(start, start + batch), { ordered: false, lean: true });
  }
  await ignoringDuplicates(Term.bulkWrite(vocabularyOf(postings), { ordered: false }));
}
