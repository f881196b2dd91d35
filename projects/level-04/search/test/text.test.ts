import { describe, expect, test } from '@jest/globals';
import { generateCatalogue } from '../src/items/catalogue.ts';
import { allowedEdits, editDistance, escapeHtml, highlight, normalise, tokenise } from '../src/search/text.ts';

describe('normalise and tokenise', () => {
  test('lower-cases, strips diacritics (NFD, marks removed) and splits on anything but letters and digits', () => {
    expect(normalise('Crème Brûlée ÜBER Señor')).toBe('creme brulee uber senor');
    expect(tokenise('Crème-brûlée, 2 × café.CRÈME!')).toEqual(['creme', 'brulee', '2', 'cafe', 'creme']);
  });

  test('a precomposed and a decomposed accent give the same token', () => {
    expect(tokenise('caf\u00e9')).toEqual(tokenise('cafe\u0301'));
  });

  test('regex metacharacters are separators, never syntax; a run over 40 letters is dropped', () => {
    expect(tokenise('.* (a+)+$ [^x] \\d{2}|lamp')).toEqual(['a', 'x', 'd', '2', 'lamp']);
    expect(tokenise(`${'a'.repeat(41)} ${'b'.repeat(40)}`)).toEqual(['b'.repeat(40)]);
  });
});

describe('typo tolerance', () => {
  test.each([
    ['lamp', 0],
    ['table', 1],
    ['notebook', 1],
    ['porcelain', 2],
    ['headphones', 2],
  ] as const)('%s (its length) allows %i edits', (term, edits) => {
    expect(allowedEdits(term)).toBe(edits);
  });

  test.each([
    ['kettle', 'kettle', 0],
    ['kettle', 'ketle', 1], // a deletion
    ['kettle', 'kettles', 1], // an insertion
    ['kettle', 'kittle', 1], // a substitution
    ['kettle', 'kettel', 1], // two neighbours swapped: one edit (Damerau), not two
    ['porcelain', 'percelian', 2],
    ['porcelain', 'pxrcxlxin', 3],
  ] as const)('the distance from %s to %s is %i', (a, b, distance) => {
    expect(editDistance(a, b, 3)).toBe(distance);
    expect(editDistance(b, a, 3)).toBe(distance);
  });

  test('stops early: anything beyond the bound answers bound + 1', () => {
    expect(editDistance('kettle', 'xxxxxx', 1)).toBe(2);
    expect(editDistance('mug', 'headphones', 2)).toBe(3);
  });
});

describe('highlight', () => {
  test('escapes the text and wraps only the matched words in <mark>', () => {
    const html = highlight('<script>alert("x")</script> & a Café lamp', new Set(['script', 'cafe']));

    expect(html).toBe('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; a <mark>Café</mark> lamp');
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });

  test('cuts a long text around the first match, marking the cuts with …', () => {
    const words = Array.from({ length: 100 }, (_, n) => `w${n}`);
    words[60] = 'lamp';

    const snippet = highlight(words.join(' '), new Set(['lamp']), 8);

    expect(snippet).toBe('…w58 w59 <mark>lamp</mark> w61 w62 w63 w64 w65…');
  });

  test('a short text comes back whole', () => {
    expect(highlight('Blue lamp.', new Set(['lamp']), 30)).toBe('Blue <mark>lamp</mark>.');
  });
});

describe('the generated catalogue', () => {
  test('is the same for the same seed and differs for another', () => {
    const first = generateCatalogue(50, 7);

    expect(generateCatalogue(50, 7)).toEqual(first);
    expect(generateCatalogue(50, 8)).not.toEqual(first);
    expect(new Set(first.map((item) => item.category)).size).toBeGreaterThan(3);
  });
});
