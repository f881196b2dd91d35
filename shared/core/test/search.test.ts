import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import { containing, escapeRegex, MAX_SEARCH_LENGTH, searchText, startingWith } from '../src/index.ts';

useTestDatabase();
const Item = mongoose.model('SearchItem', new mongoose.Schema({ title: String, body: String }));

describe('escapeRegex()', () => {
  test.each(['.*', 'a+b', '(x)', '[abc]', '^start$', 'a|b', 'x{2}', 'back\\slash', 'q?'])('%s matches only itself', (text) => {
    const pattern = new RegExp(`^${escapeRegex(text)}$`);
    expect(pattern.test(text)).toBe(true);
    expect(pattern.test(`${text}x`)).toBe(false);
  });
});

describe('searchText', () => {
  test('trims, and refuses empty or over-long text', () => {
    expect(searchText.parse('  milk ')).toBe('milk');
    expect(searchText.safeParse('   ').success).toBe(false);
    expect(searchText.safeParse('x'.repeat(MAX_SEARCH_LENGTH + 1)).success).toBe(false);
    expect(searchText.safeParse({ $gt: '' }).success).toBe(false);
  });
});

describe('containing() and startingWith() against MongoDB', () => {
  test('`.*` finds only documents holding those two characters, case-insensitively', async () => {
    await Item.create([{ title: 'regex .* demo' }, { title: 'plain text' }, { title: 'x', body: 'ALSO .* HERE' }]);

    const found = await Item.find(containing('.*', ['title', 'body'])).lean();

    expect(found.map((item) => item.title).sort()).toEqual(['regex .* demo', 'x']);
  });

  test('matches a prefix only at the start', async () => {
    await Item.create([{ title: 'Prefix match' }, { title: 'no prefix here' }]);

    const found = await Item.find(startingWith('pre', 'title')).lean();

    expect(found.map((item) => item.title)).toEqual(['Prefix match']);
  });

  test('refuses text longer than the limit even when the caller skipped searchText', () => {
    expect(() => containing('x'.repeat(MAX_SEARCH_LENGTH + 1), ['title'])).toThrow(/at most/);
  });
});
