import { describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { useTestDatabase, useTestRedis } from '../src/index.ts';

// Declared before useTestDatabase() runs its beforeAll, so its unique index exists from the first test.
const Account = mongoose.model('KitAccount', new mongoose.Schema({ email: { type: String, unique: true } }));
const databases: string[] = [];
const keysSeen: string[] = [];

async function databaseNames(): Promise<string[]> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('mongoose is not connected');
  const { databases: listed } = await db.admin().listDatabases();
  return listed.map(({ name }) => name);
}

// Two describe blocks, each with its own useTestDatabase(): they run one after the other, like two test files.
describe('useTestDatabase(): the first file', () => {
  const database = useTestDatabase();

  test("connects mongoose to a database named test_<16 hex>, on the run's MongoDB", () => {
    expect(database.name).toMatch(/^test_[0-9a-f]{16}$/);
    expect(database.url).toBe(process.env.MONGO_URL);
    expect(mongoose.connection.readyState).toBe(mongoose.ConnectionStates.connected);
    expect(mongoose.connection.db?.databaseName).toBe(database.name);
    databases.push(database.name);
  });

  test('builds the indexes of models declared before it: a unique index refuses a duplicate at once', async () => {
    await Account.create({ email: 'first@example.com' });

    await expect(Account.create({ email: 'first@example.com' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('useTestDatabase(): the second file', () => {
  const database = useTestDatabase();

  test("gets a database of its own, empty of the first one's documents", async () => {
    expect(database.name).toMatch(/^test_[0-9a-f]{16}$/);
    expect(database.name).not.toBe(databases[0]);
    expect(mongoose.connection.db?.databaseName).toBe(database.name);
    expect(await Account.countDocuments()).toBe(0);
  });

  test("the first file's database was dropped when it finished", async () => {
    await Account.create({ email: 'second@example.com' });

    const names = await databaseNames();

    expect(names).toContain(database.name);

    expect(names).not.toContain(databases[0]);
    expect(databases).toHaveLength(1);
  });
});

describe('useTestRedis()', () => {
  const first = useTestRedis();

  test('gives a client whose keys all carry a prefix of this file', async () => {
    await first.redis.set('greeting', 'hello');

    expect(first.prefix).toMatch(/^test:[0-9a-f]{8}:$/);
    expect(await first.redis.get('greeting')).toBe('hello');
    const raw = new Redis(first.url);
    try {
      expect(await raw.get(`${first.prefix}greeting`)).toBe('hello');
    } finally {
      await raw.quit();
    }
    keysSeen.push(`${first.prefix}greeting`);
  });
});

describe('useTestRedis(): after the previous file', () => {
  const second = useTestRedis();

  test('the previous prefix was cleaned up and this one is different', async () => {
    const raw = new Redis(second.url);
    try {
      expect(keysSeen).toHaveLength(1);
      expect(await raw.exists(keysSeen[0] ?? '')).toBe(0);
      expect(keysSeen[0]?.startsWith(second.prefix)).toBe(false);
    } finally {
      await raw.quit();
    }
  });
});
