import { describe, expect, test } from '@jest/globals';
import { testConfig, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { serviceConfig } from '../src/config.ts';
import { Item } from '../src/items/item.model.ts';
import { generateCatalogue } from '../src/items/catalogue.ts';
import { seedOnStart } from '../src/items/items.service.ts';
import { Catalogue } from '../src/search/catalogue.model.ts';
import { testApp } from './support.ts';

useTestDatabase();

describe('seeding the catalogue on start', () => {
  // One story, in order: this file's database starts empty.
  test('outside development nothing is seeded; in development an empty catalogue gets SEED_ITEMS items, indexed; a restart adds none', async () => {
    const production = testConfig(serviceConfig, { NODE_ENV: 'production', SEED_ITEMS: '40' });
    const development = testConfig(serviceConfig, { NODE_ENV: 'development', SEED_ITEMS: '40' });

    expect(await seedOnStart(production)).toBe(0);
    expect(await Item.countDocuments()).toBe(0);

    expect(await seedOnStart(development)).toBe(40);
    expect(await seedOnStart(development)).toBe(0);

    expect(await Item.countDocuments()).toBe(40);
    expect(await Catalogue.findById('catalogue').lean()).toMatchObject({ items: 40, seq: 40 });
    // The same 40 items every time: the first one's title, searched for, finds it.
    const [first] = generateCatalogue(40);
    const response = await request(testApp())
      .get('/search')
      .query({ q: first?.title ?? '', limit: 100 });
    expect(response.status).toBe(200);
    expect((response.body.items as Array<{ title: string }>).map((item) => item.title)).toContain(first?.title);
  });
});
