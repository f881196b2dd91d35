import { createHash } from 'node:crypto';
import { badRequest } from '@hub/core';
import { z } from 'zod';
import { Item, type ItemRecord } from '../items/item.model.ts';
import { CATALOGUE_ID, Catalogue } from './catalogue.model.ts';
import { FIELD_BOOST, idf, saturation, type Field } from './ranking.ts';
import type { SearchHit, SearchPage, SearchQuery } from './search.schemas.ts';
import { decodeEntry, Term, type PostingEntry, type TermRecord } from './term.model.ts';
import { allowedEdits, editDistance, highlight, tokenise } from './text.ts';

/** Words of a query beyond this many are ignored: each costs a vocabulary scan. */
export const MAX_QUERY_WORDS = 10;
/** A prefix match counts a little less than the word itself; a typo less for each edit. */
export const PREFIX_WEIGHT = 0.8;
const typoWeight = (edits: number) => 1 / (1 + edits);
/** The most completions the last word of a query expands to. */
export const MAX_COMPLETIONS = 50;
const SNIPPET_WORDS = 30;

/**
 * The catalogue as a search saw it on its first page: its position and its BM25 totals. Later
 * pages reuse it from the cursor, so items added meanwhile are left out and every score stays
 * exactly what it was: no item repeats, none is skipped.
 */
interface Snapshot {
  seq: number;
  items: number;
  lengths: Record<Field, number>;
}

/** One candidate item: what filters, facets and sorting need, and its score. */
interface Hit {
  id: string;
  category: string;
  price: number;
  tags: string[];
  createdAt: number;
  score: number;
  terms: Set<string>;
}

export async function searchCatalogue(query: SearchQuery): Promise<SearchPage> {
  const words = [...new Set(tokenise(query.q))].slice(0, MAX_QUERY_WORDS);
  const cursor = query.cursor ? decodeCursor(query.cursor, fingerprint(query)) : undefined;
  const empty: SearchPage = { items: [], total: 0, limit: query.limit, nextCursor: null, facets: { category: [], tags: [] } };
  if (words.length === 0) return empty;
  // Three independent reads at once: the totals, the vocabulary near the words, the words' own lists.
  const [snapshot, vocabulary, exact] = await Promise.all([cursor ? cursor.s : currentSnapshot(), vocabularyNear(words), listsOf(words)]);
  if (!snapshot || snapshot.items <= 0) return empty;
  const expansions = expand(words, vocabulary, snapshot.seq);
  const others = [...new Set(expansions.flatMap((terms) => [...terms.keys()]))].filter((term) => !words.includes(term));
  const lists = new Map([...exact, ...(await listsOf(others))]);

  const { matched, facets } = filterAndCount(score(expansions, lists, snapshot), query);
  const ordered = matched.map((hit) => ({ hit, key: sortKey(hit, query.sort) })).sort(byKeyThenId);
  const start = cursor ? ordered.findIndex((entry) => byKeyThenId(entry, { key: cursor.k, hit: { id: cursor.id } }) > 0) : 0;
  const page = start < 0 ? [] : ordered.slice(start, start + query.limit);
  const last = page.at(-1);
  const more = start >= 0 && start + query.limit < ordered.length;
  return {
    items: await views(page.map((entry) => entry.hit)),
    total: matched.length,
    limit: query.limit,
    nextCursor: more && last ? encodeCursor({ f: fingerprint(query), s: snapshot, k: last.key, id: last.hit.id }) : null,
    facets,
  };
}

async function currentSnapshot(): Promise<Snapshot | undefined> {
  const catalogue = await Catalogue.findById(CATALOGUE_ID).lean();
  if (!catalogue) return undefined;
  return {
    seq: catalogue.seq,
    items: catalogue.items,
    lengths: { title: catalogue.lengths?.title ?? 0, description: catalogue.lengths?.description ?? 0 },
  };
}

type Lists = Map<string, Record<string, TermRecord['items'][string]>>;

/** The posting lists of these terms. */
async function listsOf(terms: string[]): Promise<Lists> {
  if (terms.length === 0) return new Map();
  const found = await Term.find({ _id: { $in: terms } }, { items: 1 }).lean<Array<Pick<TermRecord, '_id' | 'items'>>>();
  return new Map(found.map((term) => [term._id, term.items]));
}

interface Vocabulary {
  /** Terms of a length within reach of a word's typo allowance. */
  similar: Array<Pick<TermRecord, '_id' | 'seq'>>;
  /** Terms the last word starts: a range on the sorted vocabulary, never a regex. */
  completions: Array<Pick<TermRecord, '_id' | 'seq'>>;
}

async function vocabularyNear(words: string[]): Promise<Vocabulary> {
  const fuzzy = words.filter((word) => allowedEdits(word) > 0);
  const last = words.at(-1) ?? '';
  const lengths = {
    $gte: Math.min(...fuzzy.map((word) => word.length - allowedEdits(word))),
    $lte: Math.max(...fuzzy.map((word) => word.length + allowedEdits(word))),
  };
  const [similar, completions] = await Promise.all([
    fuzzy.length === 0 ? [] : Term.find({ length: lengths }, { _id: 1, seq: 1 }).lean<Vocabulary['similar']>(),
    Term.find({ _id: { $gt: last, $lt: `${last}\uffff` } }, { _id: 1, seq: 1 }).lean<Vocabulary['completions']>(),
  ]);
  return { similar, completions };
}

/**
 * Each query word → the indexed terms it stands for, with a weight: itself (1), the vocabulary's
 * terms within its typo allowance (by edit distance, computed here, never a regex), and, for the
 * last word, up to MAX_COMPLETIONS terms it starts (alphabetically first). Only terms the
 * snapshot knew count, so every page of one search expands the same way.
 */
function expand(words: string[], vocabulary: Vocabulary, seq: number): Array<Map<string, number>> {
  const known = (terms: Vocabulary['similar']) => terms.filter((term) => term.seq <= seq).map((term) => term._id);
  const similar = known(vocabulary.similar);
  const completions = known(vocabulary.completions).sort().slice(0, MAX_COMPLETIONS);
  return words.map((word, index) => {
    const terms = new Map<string, number>();
    const offer = (term: string, weight: number) => terms.set(term, Math.max(weight, terms.get(term) ?? 0));
    const edits = allowedEdits(word);
    for (const term of edits > 0 ? similar : []) {
      const distance = editDistance(word, term, edits);
      if (distance <= edits) offer(term, typoWeight(distance));
    }
    if (index === words.length - 1) for (const term of completions) offer(term, PREFIX_WEIGHT);
    offer(word, 1);
    return terms;
  });
}

/**
 * BM25 over the posting lists of the expanded terms, counting only entries up to the snapshot.
 * An item must match every query word (through any of its terms); a word scores its best term
 * there: weight × idf(term) × Σ over fields of boost × saturation(tf, field length, average length).
 */
function score(expansions: Array<Map<string, number>>, lists: Lists, snapshot: Snapshot): Hit[] {
  const average = { title: snapshot.lengths.title / snapshot.items, description: snapshot.lengths.description / snapshot.items };
  // term → item id → its BM25 part before the word's weight, for the entries the snapshot holds.
  const parts = new Map<string, Map<string, { value: number; entry: PostingEntry }>>();
  for (const [term, items] of lists) {
    const inSnapshot = Object.entries(items)
      .map(([id, stored]) => [id, decodeEntry(stored)] as const)
      .filter(([, entry]) => entry.s <= snapshot.seq);
    const rarity = idf(snapshot.items, inSnapshot.length);
    const byItem = new Map<string, { value: number; entry: PostingEntry }>();
    for (const [id, entry] of inSnapshot) {
      const title = entry.t > 0 ? FIELD_BOOST.title * saturation(entry.t, entry.tl, average.title) : 0;
      const description = entry.d > 0 ? FIELD_BOOST.description * saturation(entry.d, entry.dl, average.description) : 0;
      byItem.set(id, { value: rarity * (title + description), entry });
    }
    parts.set(term, byItem);
  }
  // Candidates: the items of the first word's terms; each must then match every word.
  const candidates = new Map<string, PostingEntry>();
  for (const term of expansions[0]?.keys() ?? []) for (const [id, { entry }] of parts.get(term) ?? []) candidates.set(id, entry);
  const hits: Hit[] = [];
  for (const [id, entry] of candidates) {
    let total = 0;
    const terms = new Set<string>();
    const everyWord = expansions.every((expansion) => {
      let best: number | undefined;
      for (const [term, weight] of expansion) {
        const part = parts.get(term)?.get(id);
        if (!part) continue;
        terms.add(term);
        best = Math.max(best ?? 0, weight * part.value);
      }
      total += best ?? 0;
      return best !== undefined;
    });
    if (everyWord) hits.push({ id, category: entry.c, price: entry.p, tags: entry.g, createdAt: entry.at, score: total, terms });
  }
  return hits;
}

/**
 * The filters, and the facet counts among the matches. Disjunctive: each facet counts the
 * matches of every other filter but not its own, so choosing `kitchen` still shows how many
 * `garden` items there are.
 */
function filterAndCount(hits: Hit[], { category, tags, minPrice, maxPrice }: SearchQuery): Pick<SearchPage, 'facets'> & { matched: Hit[] } {
  const inCategory = (hit: Hit) => !category || category.includes(hit.category);
  const inPrice = (hit: Hit) => (minPrice === undefined || hit.price >= minPrice) && (maxPrice === undefined || hit.price <= maxPrice);
  const tagged = (hit: Hit) => !tags || hit.tags.some((tag) => tags.includes(tag));
  return {
    matched: hits.filter((hit) => inCategory(hit) && inPrice(hit) && tagged(hit)),
    facets: {
      category: countBy(hits.filter((hit) => inPrice(hit) && tagged(hit)).map((hit) => [hit.category])),
      tags: countBy(hits.filter((hit) => inCategory(hit) && inPrice(hit)).map((hit) => hit.tags)),
    },
  };
}

/** value → how many hits hold it, most first, then by value. */
function countBy(values: string[][]): Array<{ value: string; count: number }> {
  const counts = new Map<string, number>();
  for (const list of values) for (const value of list) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

/** Smaller first: relevance and "newest" negate, so one ascending order serves every sort. */
function sortKey(hit: Hit, sort: SearchQuery['sort']): number {
  switch (sort) {
    case 'relevance':
      return -hit.score;
    case 'price':
      return hit.price;
    case '-price':
      return -hit.price;
    case 'newest':
      return -hit.createdAt;
    case 'oldest':
      return hit.createdAt;
  }
}

/** The order is total: equal keys are ordered by id. */
function byKeyThenId(a: { key: number; hit: { id: string } }, b: { key: number; hit: { id: string } }): number {
  if (a.key !== b.key) return a.key - b.key;
  if (a.hit.id === b.hit.id) return 0;
  return a.hit.id < b.hit.id ? -1 : 1;
}

/** The page's items, read in one query, shown in the page's order, each with its highlighted text. */
async function views(hits: Hit[]): Promise<SearchHit[]> {
  const items = await Item.find({ _id: { $in: hits.map((hit) => hit.id) } }).lean<ItemRecord[]>();
  const byId = new Map(items.map((item) => [String(item._id), item]));
  return hits.flatMap((hit) => {
    const item = byId.get(hit.id);
    if (!item) return [];
    return [
      {
        id: hit.id,
        title: item.title,
        category: item.category,
        price: item.price,
        tags: item.tags,
        createdAt: item.createdAt.toISOString(),
        score: hit.score,
        highlight: { title: highlight(item.title, hit.terms), description: highlight(item.description, hit.terms, SNIPPET_WORDS) },
      },
    ];
  });
}

// The cursor: base64url JSON of the search's fingerprint, its snapshot and the last item's sort
// key and id. A cursor from another search (other words, filters or order) is a 400.
const Cursor = z.object({
  f: z.string(),
  s: z.object({
    seq: z.int().min(0),
    items: z.int().min(1),
    lengths: z.object({ title: z.number().min(0), description: z.number().min(0) }),
  }),
  k: z.number(),
  id: z.string().regex(/^[a-f\d]{24}$/),
});
type Cursor = z.infer<typeof Cursor>;

function fingerprint({ q, category, tags, minPrice, maxPrice, sort }: SearchQuery): string {
  const words = tokenise(q).join(' ');
  const canonical = JSON.stringify([
    words,
    [...(category ?? [])].sort(),
    [...(tags ?? [])].sort(),
    minPrice ?? null,
    maxPrice ?? null,
    sort,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string, expected: string): Cursor {
  let cursor: Cursor | undefined;
  try {
    cursor = Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    cursor = undefined;
  }
  if (!cursor || cursor.f !== expected) {
    throw badRequest('The cursor is not valid for this search.', [
      {
        in: 'query',
        field: 'cursor',
        message: 'must be the nextCursor of a previous page of this search, with the same words, filters and sort',
      },
    ]);
  }
  return cursor;
}
