import mongoose from 'mongoose';

/** One item's entry in a term's posting list: the term's frequency per field and what filters and facets need. */
export interface PostingEntry {
  /** Occurrences in the title, and the title's length in words. */
  t: number;
  tl: number;
  /** Occurrences in the description, and its length in words. */
  d: number;
  dl: number;
  /** The item's revision and catalogue position (see Item). */
  r: number;
  s: number;
  /** The item's category, price, tags and creation time (ms), so a search never reads the items to filter or count. */
  c: string;
  p: number;
  g: string[];
  at: number;
}

/**
 * The inverted index, one document per term (like Meilisearch's word → documents lists):
 * `items` maps an item id to its posting entry. One item's entry is set or unset with one
 * `$set`/`$unset` on `items.<id>`, so writers never read-modify-write a list. `length` and `seq`
 * (the catalogue position that first used the term) make it the vocabulary too: typo candidates
 * are the terms of a similar length. A term no item uses any more keeps an empty list.
 */
const termSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    length: { type: Number, required: true },
    seq: { type: Number, required: true },
    items: { type: mongoose.Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);

termSchema.index({ length: 1 });

export const Term = mongoose.model('Term', termSchema);
export type TermRecord = { _id: string; length: number; seq: number; items: Record<string, PostingEntry> };
