// BM25 (Robertson & Zaragoza), the ranking MiniSearch, Lucene and Meilisearch's ancestors use,
// with one weight per field. Pure arithmetic: the search service feeds it counts.

export const K1 = 1.2;
export const B = 0.75;

/** The fields the index knows, and how much a match in each one counts: a title match outranks a description one. */
export const FIELD_BOOST = { title: 2, description: 1 } as const;
export type Field = keyof typeof FIELD_BOOST;
export const FIELDS = Object.keys(FIELD_BOOST) as Field[];

/** Rarer terms weigh more: ln(1 + (N − df + 0.5) / (df + 0.5)), never negative. */
export function idf(documents: number, withTerm: number): number {
  return Math.log(1 + (documents - withTerm + 0.5) / (withTerm + 0.5));
}

/** How much `tf` occurrences in a field of `length` words count, against the field's average length. */
export function saturation(tf: number, length: number, averageLength: number): number {
  const norm = averageLength > 0 ? length / averageLength : 1;
  return (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * norm));
}
