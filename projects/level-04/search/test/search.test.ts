import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { addItem, ids, testApp, uniqueWord } from './support.ts';

useTestDatabase();
const app = testApp();
const search = (query: Record<string, string | number | string[]>) => request(app).get('/search').query(query);

describe('GET /search: words', () => {
  test('case and diacritics do not matter, either way round; the marks keep the original text', async () => {
    const word = uniqueWord();
    const accented = await addItem({ title: `Crème Brûlée ${word}` });
    const plain = await addItem({ title: `creme brulee ${word}` });

    const response = await search({ q: `CRÈME ${word}` });

    expect(response.status).toBe(200);
    expect(ids(response).sort()).toEqual([accented.id, plain.id].sort());
    const hit = (response.body.items as Array<{ id: string; highlight: { title: string } }>).find((item) => item.id === accented.id);
    expect(hit?.highlight.title).toBe(`<mark>Crème</mark> Brûlée <mark>${word}</mark>`);
  });

  test('the last word of the query matches as a prefix; the others only as whole words', async () => {
    const [stem, other] = [uniqueWord(), uniqueWord()];
    const item = await addItem({ title: `${stem}ium ${other}` });

    const last = await search({ q: `${other} ${stem}` });
    const notLast = await search({ q: `${stem} ${other}` });

    expect(ids(last)).toEqual([item.id]);
    expect(last.body.items[0].highlight.title).toBe(`<mark>${stem}ium</mark> <mark>${other}</mark>`);
    expect(notLast.body.total).toBe(0);
  });

  test.each([
    ['4 letters: no typo allowed', 'vlox', [], ['vlix', 'lvox']],
    ['5 letters: one edit', 'flurb', ['flurp', 'flrub'], ['flxrp']],
    ['8 letters: one edit (two neighbours swapped count as one)', 'brompton', ['bromptno', 'bxompton'], ['brxmptxn']],
    ['9 letters or more: two edits', 'porcelainz', ['procelainz', 'percelianz'], ['pxrcxlxinz']],
  ])('typo tolerance by length, %s', async (_case, stored, withinReach, beyondReach) => {
    const item = await addItem({ title: `Kettle ${stored}` });

    const found = await Promise.all([stored, ...withinReach].map(async (q) => [q, ids(await search({ q }))]));
    const missed = await Promise.all(beyondReach.map(async (q) => [q, ids(await search({ q }))]));

    expect(found).toEqual([stored, ...withinReach].map((q) => [q, [item.id]]));
    expect(missed).toEqual(beyondReach.map((q) => [q, []]));
  });

  test('an exact match outranks a typo match', async () => {
    const typo = await addItem({ title: 'Bicycle quarnell' });
    const exact = await addItem({ title: 'Bicycle quarnel' });

    const response = await search({ q: 'quarnel' });

    expect(ids(response)).toEqual([exact.id, typo.id]);
    expect(response.body.items[1].highlight.title).toBe('Bicycle <mark>quarnell</mark>');
  });

  test('a match in the title outranks the same match in the description (field boost)', async () => {
    const word = uniqueWord();
    const inDescription = await addItem({ title: 'Plain kettle', description: `${word} words here` });
    const inTitle = await addItem({ title: `${word} kettle`, description: 'plain words here' });

    const response = await search({ q: word });

    expect(ids(response)).toEqual([inTitle.id, inDescription.id]);
    expect(response.body.items[0].score).toBeGreaterThan(response.body.items[1].score);
  });

  test('every word must match: an item with only one of two words is left out', async () => {
    const [one, two] = [uniqueWord(), uniqueWord()];
    const both = await addItem({ title: `${one} ${two}` });
    await addItem({ title: `${one} only` });

    expect(ids(await search({ q: `${one} ${two}` }))).toEqual([both.id]);
  });
});

describe('GET /search: user text is never a pattern', () => {
  let word: string;
  let item: string;
  beforeAll(async () => {
    word = uniqueWord();
    item = (await addItem({ title: `Regex ${word}`, description: 'A dot, a star, brackets.' })).id;
  });

  test.each(['.*', '[', '(.+)+$', '\\', '^', '$where', '{"$gt": ""}', '*', '?', '|', '[^]{0,99}'])(
    'q=%s answers 200 and matches no item for its metacharacters',
    async (q) => {
      const response = await search({ q });

      expect(response.status).toBe(200);
      expect(ids(response)).not.toContain(item);
    },
  );

  test('metacharacters around a word are separators: `word.*` finds exactly the items with that word', async () => {
    const response = await search({ q: `${word}.*` });

    expect(ids(response)).toEqual([item]);
  });
});

describe('GET /search: markup in an item comes back escaped', () => {
  test('a <script> or <img onerror> in a title or description is escaped; only <mark> is markup', async () => {
    const word = uniqueWord();
    await addItem({ title: `<script>alert(1)</script> ${word}`, description: `<img src=x onerror="alert(1)"> ${word} & more` });

    const response = await search({ q: word });

    const { highlight } = response.body.items[0] as { highlight: { title: string; description: string } };
    expect(highlight.title).toBe(`&lt;script&gt;alert(1)&lt;/script&gt; <mark>${word}</mark>`);
    expect(highlight.description).toBe(`&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>${word}</mark> &amp; more`);
    expect(`${highlight.title}${highlight.description}`.replaceAll(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  test('a long description is cut around the first match, the cuts marked with …', async () => {
    const word = uniqueWord();
    const words = Array.from({ length: 80 }, (_, n) => `filler${String.fromCharCode(97 + (n % 26))}`);
    words[50] = word;
    await addItem({ title: 'Long one', description: words.join(' ') });

    const { description } = (await search({ q: word })).body.items[0].highlight as { description: string };

    expect(description).toMatch(/^….*…$/);
    expect(description).toContain(`<mark>${word}</mark>`);
    expect(description.split(' ').length).toBeLessThanOrEqual(30);
  });
});

describe('GET /search: filters, facets and sort', () => {
  const word = uniqueWord();
  const made: Record<string, string> = {};
  beforeAll(async () => {
    const start = Date.UTC(2026, 0, 1);
    const fixture = [
      ['a', 'kitchen', 500, ['eco']],
      ['b', 'kitchen', 1500, ['eco', 'sale']],
      ['c', 'garden', 2500, ['sale']],
      ['d', 'garden', 3500, []],
      ['e', 'office', 4500, ['eco']],
    ] as const;
    for (const [index, [name, category, price, tags]] of fixture.entries()) {
      // One day apart, so "newest" and "oldest" have an order to prove.
      made[name] = (await addItem({ title: `${word} ${name}`, category, price, tags }, new Date(start + index * 86_400_000))).id;
    }
  });
  const names = (response: request.Response) => ids(response).map((id) => Object.keys(made).find((name) => made[name] === id));

  test.each<[string, Record<string, string | number | string[]>, string[]]>([
    ['one category', { category: 'garden' }, ['c', 'd']],
    ['a category and a price range', { category: 'garden', minPrice: 3000 }, ['d']],
    ['a tag and a highest price', { tags: 'eco', maxPrice: 1000 }, ['a']],
    ['two categories: either', { category: ['kitchen', 'office'] }, ['a', 'b', 'e']],
    ['two tags: either', { tags: ['eco', 'sale'] }, ['a', 'b', 'c', 'e']],
    ['a price range, both ends inclusive', { minPrice: 1500, maxPrice: 3500 }, ['b', 'c', 'd']],
  ])('%s composes with the query', async (_case, filters, expected) => {
    const response = await search({ q: word, sort: 'price', ...filters });

    expect(response.status).toBe(200);
    expect(names(response)).toEqual(expected);
    expect(response.body.total).toBe(expected.length);
  });

  test("facet counts are disjunctive: each facet leaves its own filter out, and applies the others'", async () => {
    const unfiltered = await search({ q: word });
    const filtered = await search({ q: word, category: 'kitchen', tags: 'sale' });

    expect(unfiltered.body.facets).toMatchObject({
      category: [
        { value: 'garden', count: 2 },
        { value: 'kitchen', count: 2 },
        { value: 'office', count: 1 },
      ],
      tags: [
        { value: 'eco', count: 3 },
        { value: 'sale', count: 2 },
      ],
    });
    expect(names(filtered)).toEqual(['b']);
    expect(filtered.body.facets).toMatchObject({
      // Among the `sale` items, whatever their category:
      category: [
        { value: 'garden', count: 1 },
        { value: 'kitchen', count: 1 },
      ],
      // Among the `kitchen` items, whatever their tags:
      tags: [
        { value: 'eco', count: 2 },
        { value: 'sale', count: 1 },
      ],
    });
  });

  test.each([
    ['price', ['a', 'b', 'c', 'd', 'e']],
    ['-price', ['e', 'd', 'c', 'b', 'a']],
    ['newest', ['e', 'd', 'c', 'b', 'a']],
    ['oldest', ['a', 'b', 'c', 'd', 'e']],
  ])('sort=%s orders the matches', async (sort, expected) => {
    expect(names(await search({ q: word, sort }))).toEqual(expected);
  });
});

describe('GET /search: cursor pages', () => {
  test.each(['relevance', 'newest'])(
    'sort=%s: items added while paging neither repeat nor push out any of the original matches',
    async (sort) => {
      const word = uniqueWord();
      // Seven items with different scores (title or description, longer or shorter) and prices.
      await Promise.all(
        Array.from({ length: 7 }, (_, n) => {
          const text = n % 2 === 0 ? { title: `${word} ${'x '.repeat(n)}` } : { title: 'Other', description: `${word} ${'y '.repeat(n)}` };
          return addItem({ ...text, price: 100 * ((n * 3) % 7) + 1 }, new Date(Date.UTC(2026, 1, 1 + n)));
        }),
      );
      const all = ids(await search({ q: word, sort, limit: 100 }));

      const first = await search({ q: word, sort, limit: 3 });
      // Five strong, older matches arrive while the second page is being read: by score or by date they belong on later pages.
      const [second] = await Promise.all([
        search({ q: word, sort, limit: 3, cursor: first.body.nextCursor }),
        ...Array.from({ length: 5 }, (_, n) => addItem({ title: `${word} ${word}`, price: 1 }, new Date(Date.UTC(2025, 0, 1 + n)))),
      ]);
      const third = await search({ q: word, sort, limit: 3, cursor: second.body.nextCursor });

      expect(all).toHaveLength(7);
      expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(all);
      expect(third.body.nextCursor).toBeNull();
      expect((await search({ q: word, sort, limit: 100 })).body.total).toBe(12);
    },
  );
});
