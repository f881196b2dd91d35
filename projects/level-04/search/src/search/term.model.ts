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
 * How an entry is stored: the revision on its own (the write guards compare it), the rest packed
 * into one string. A search decodes a thousand entries per word; as one BSON string each, that
 * is about half the work of ten fields each.
 */
export interface StoredEntry {
  r: number;
  v: string;
}

/** `{ t: 1, tl: 3, d: 0, dl: 12, s: 7, p: 1299, at: 1767225600000, c: 'kitchen', g: ['eco', 'new'] }` → `'1 3 0 12 7 1299 1767225600000 kitchen eco new'` (categories and tags never hold a space). */
export const encodeEntry = ({ t, tl, d, dl, r, s, p, at, c, g }: PostingEntry): StoredEntry => ({
  r,
  v: [t, tl, d, dl, s, p, at, c, ...g].join(' '),
});

export function decodeEntry({ r, v }: StoredEntry): PostingEntry {
  const [t, tl, d, dl, s, p, at, c = '', ...g] = v.split(' ');
  return { t: Number(t), tl: Number(tl), d: Number(d), dl: Number(dl), r, s: Number(s), p: Number(p), at: Number(at), c, g };
}

/**
 * The inverted index, one document per term (like Meilisearch's word → documents lists):
 * `items` maps an item id to its stored entry. One item's entry is set or unset with one
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
export type TermRecord = { _id: string; length: number; seq: number; items: Record<string, StoredEntry> };
