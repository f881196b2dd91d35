// `pnpm --filter level-04/search seed [count]`: fills an empty catalogue with generated items
// (10,000 by default; the same ones every time). It never touches a catalogue that has items.
import { baseConfig, connectMongo, loadConfig } from '@hub/core';
import { z } from 'zod';
import { seedCatalogue } from './items/items.service.ts';

const config = loadConfig({ MONGO_URL: baseConfig.MONGO_URL });
const count = z.coerce
  .number()
  .int()
  .min(1)
  .max(100_000)
  .parse(process.argv[2] ?? 10_000);
const db = await connectMongo(config.MONGO_URL);
const started = performance.now();
const seeded = await seedCatalogue(count);
console.log(
  seeded > 0
    ? `seeded ${seeded} items in ${Math.round(performance.now() - started)} ms`
    : 'the catalogue already has items: nothing seeded',
);
await db.close();
