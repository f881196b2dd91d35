// Exercise 1: a last word of one letter is a whole word, not a prefix of every term it starts.
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { addItem, ids, testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();

describe('GET /search: prefixes need two letters', () => {
  test('q=k finds only the items with the word "k"; q=ke still completes to "kettle"', async () => {
    const kettle = await addItem({ title: 'Copper kettle' });
    const k = await addItem({ title: 'Vitamin k drops' });

    const one = await request(app).get('/search').query({ q: 'k' });
    const two = await request(app).get('/search').query({ q: 'ke' });

    expect(ids(one)).toEqual([k.id]);
    expect(ids(two)).toEqual([kettle.id]);
  });

  test('a one-letter last word after others matches exactly too', async () => {
    const kettle = await addItem({ title: 'Copper kettle' });
    const k = await addItem({ title: 'Copper k' });

    const response = await request(app).get('/search').query({ q: 'copper k' });

    expect(ids(response)).toEqual([k.id]);
    expect(ids(response)).not.toContain(kettle.id);
  });
});
