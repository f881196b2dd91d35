// Text handling for the index and the query: one normaliser, one tokeniser, one edit distance.
// Pure functions, no database: the index and the search must agree on what a word is.

/** The longest token kept: longer runs of letters are noise (or an attack), not words. */
export const MAX_TOKEN_LENGTH = 40;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

/** `Crème Brûlée` → `creme brulee`: decomposed (NFD), combining marks stripped, lower-cased. */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** The words of a text, normalised, in order (repeats kept: they are the term frequency). */
export function tokenise(text: string): string[] {
  return [...normalise(text).matchAll(WORD)].map(([word]) => word).filter((word) => word.length <= MAX_TOKEN_LENGTH);
}

/** token → how many times it occurs. */
export function termFrequencies(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** Typo tolerance by length: none up to 4 characters, 1 edit for 5 to 8, 2 from 9 on. */
export function allowedEdits(term: string): 0 | 1 | 2 {
  if (term.length <= 4) return 0;
  return term.length <= 8 ? 1 : 2;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), or `max + 1` as soon as it is known to exceed `max`, so a far word costs little.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    [before, previous] = [previous, current];
  }
  return previous[b.length] ?? max + 1;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put inside HTML: `<script>` comes out as `&lt;script&gt;`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * `text` HTML-escaped, each word whose normalised form is in `terms` wrapped in `<mark>`, cut to
 * about `maxWords` words around the first match (`…` where it was cut). The only markup in the
 * answer is the `<mark>` this function adds.
 */
export function highlight(text: string, terms: ReadonlySet<string>, maxWords = Number.POSITIVE_INFINITY): string {
  const words = [...text.matchAll(WORD)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    hit: terms.has(normalise(match[0])),
  }));
  const firstHit = Math.max(
    0,
    words.findIndex((word) => word.hit),
  );
  const from = words.length <= maxWords ? 0 : Math.max(0, Math.min(firstHit - Math.floor(maxWords / 4), words.length - maxWords));
  const shown = words.slice(from, from + maxWords);
  const start = from === 0 ? 0 : (shown[0]?.start ?? 0);
  const end = from + maxWords >= words.length ? text.length : (shown.at(-1)?.end ?? text.length);
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const word of shown) {
    out += escapeHtml(text.slice(at, word.start));
    const raw = escapeHtml(text.slice(word.start, word.end));
    out += word.hit ? `<mark>${raw}</mark>` : raw;
    at = word.end;
  }
  out += escapeHtml(text.slice(at, end));
  return end < text.length ? `${out}…` : out;
}
