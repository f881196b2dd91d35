// BM25 against numbers worked out by hand. This file's database holds exactly these three
// items, so N and the average field lengths are known.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { addItem, testApp } from './support.ts';

useTestDatabase();
const app = testApp();
let a: string;
let b: string;

beforeAll(async () => {
  // Words per field:                 title            description
  // A "Red lamp"  "A lamp for the desk"  2 (red, lamp)   5 (a, lamp, for, the, desk)
  // B "Desk"      "A red desk lamp …"    1 (desk)        8 (a, red, desk, lamp, with, a, red, shade)
  // C "Blue chair" "A chair"             2               2
  // N = 3; average title length 5/3, average description length 15/3 = 5.
  a = (await addItem({ title: 'Red lamp', description: 'A lamp for the desk' })).id;
  b = (await addItem({ title: 'Desk', description: 'A red desk lamp with a red shade' })).id;
  await addItem({ title: 'Blue chair', description: 'A chair' });
});

const scores = async (q: string) =>
  Object.fromEntries(
    ((await request(app).get('/search').query({ q })).body.items as Array<{ id: string; score: number }>).map((hit) => [hit.id, hit.score]),
  );

describe('BM25 (k1 = 1.2, b = 0.75; title boost 2, description 1)', () => {
  // idf = ln(1 + (N − df + 0.5) / (df + 0.5)); a field adds boost × tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
  test('one word: "lamp" (in A\'s title and description, in B\'s description only)', async () => {
    // df(lamp) = 2: idf = ln(1 + 1.5 / 2.5) = ln 1.6 = 0.470004
    // A title: len/avg = 2 / (5/3) = 1.2 → 2.2 / (1 + 1.2 × (0.25 + 0.9)) = 2.2 / 2.38 = 0.924370, × 2 = 1.848739
    // A description: len/avg = 5 / 5 = 1 → 2.2 / (1 + 1.2) = 1
    // A = 0.470004 × (1.848739 + 1) = 1.338918
    // B description: len/avg = 8 / 5 = 1.6 → 2.2 / (1 + 1.2 × 1.45) = 2.2 / 2.74 = 0.802920; B = 0.470004 × 0.802920 = 0.377375
    const lamp = await scores('lamp');

    expect(Object.keys(lamp)).toEqual([a, b]);
    expect(lamp[a]).toBeCloseTo(1.338918, 5);
    expect(lamp[b]).toBeCloseTo(0.377375, 5);
  });

  test('two words: "red desk", where an item must hold both, and B has "red" twice', async () => {
    // df(red) = 2 (A, B), df(desk) = 2 (A, B): both idf = ln 1.6 = 0.470004; C holds neither and is left out.
    // A: red in the title (1.848739, as above) + desk in the description (1) → 0.470004 × 2.848739 = 1.338918
    // B: red twice in the description: 2 × 2.2 / (2 + 1.2 × 1.45) = 4.4 / 3.74 = 1.176471
    //    desk in the title: len/avg = 1 / (5/3) = 0.6 → 2.2 / (1 + 1.2 × 0.7) = 2.2 / 1.84 = 1.195652, × 2 = 2.391304
    //    desk in the description: 0.802920
    //    B = 0.470004 × (1.176471 + 2.391304 + 0.802920) = 0.470004 × 4.370695 = 2.054242
    const redDesk = await scores('red desk');

    expect(Object.keys(redDesk)).toEqual([b, a]);
    expect(redDesk[b]).toBeCloseTo(2.054242, 5);
    expect(redDesk[a]).toBeCloseTo(1.338918, 5);
  });
});
