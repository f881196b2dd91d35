// Exercise 2: a price facet in three ranges, disjunctive like the others.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { addItem, testApp, uniqueWord } from '../test/support.ts';

useTestDatabase();
const app = testApp();
const word = uniqueWord();

beforeAll(async () => {
  // Cents: 5.00 and 9.99 are under 10; 10.00 and 49.99 are 10 to 50; 50.00 and 120.00 are 50 and up.
  const fixture = [
    [500, 'kitchen'],
    [999, 'garden'],
    [1000, 'kitchen'],
    [4999, 'kitchen'],
    [5000, 'garden'],
    [12000, 'kitchen'],
  ] as const;
  for (const [price, category] of fixture) await addItem({ title: `${word} thing`, price, category });
});

const facets = async (query: Record<string, string | number>) =>
  (
    await request(app)
      .get('/search')
      .query({ q: word, ...query })
  ).body.facets;

describe('GET /search: the price facet', () => {
  test('counts the matches in each range, every range listed, in order', async () => {
    expect((await facets({})).price).toEqual([
      { value: 'under-10', count: 2 },
      { value: '10-50', count: 2 },
      { value: '50-and-up', count: 2 },
    ]);
  });

  test("leaves the price filter out of its own counts, and applies the others'", async () => {
    const { price, category } = await facets({ category: 'kitchen', minPrice: 1000, maxPrice: 4999 });

    expect(price).toEqual([
      { value: 'under-10', count: 1 },
      { value: '10-50', count: 2 },
      { value: '50-and-up', count: 1 },
    ]);
    expect(category).toEqual([{ value: 'kitchen', count: 2 }]);
  });
});
