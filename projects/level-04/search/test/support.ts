// What this service's tests share: the app on this file's test database, item bodies, and
// shortcuts for arranging a catalogue and reading what the index stored.
import { randomBytes } from 'node:crypto';
import { User } from '@hub/core';
import { signUp, testConfig, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Item } from '../src/items/item.model.ts';
import { ItemInput } from '../src/items/items.schemas.ts';
import { createItem } from '../src/items/items.service.ts';
import { Term } from '../src/search/term.model.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

/**
 * A word no other test's word comes near, letters only (the tokeniser splits on digits and dashes
 * too): `zq` and eight random letters of 26. Near matters because search forgives typos (two edits
 * at this length) and reads the last query word as a prefix: the earlier six letters of a–f sometimes
 * fell within one edit of another test's word, and a search found two items.
 */
export const uniqueWord = (prefix = 'zq') => prefix + Array.from(randomBytes(8), (byte) => String.fromCodePoint(97 + (byte % 26))).join('');

/** A valid POST /items body; override any field. */
export const anItem = (overrides: Record<string, unknown> = {}) => ({
  title: `Item ${uniqueWord()}`,
  description: 'A plain thing.',
  category: 'kitchen',
  price: 1000,
  tags: [],
  ...overrides,
});

/** Adds an item through the use case (arranging a catalogue without an HTTP round trip each), created `at` a given time. */
export const addItem = (overrides: Record<string, unknown> = {}, at = new Date()) =>
  createItem({ id: new mongoose.Types.ObjectId().toHexString(), role: 'user' }, ItemInput.parse(anItem(overrides)), at);

/** A new account promoted to admin the way an operator would (in the database), then logged in again. */
export async function anAdmin(app: Express): Promise<TestAccount> {
  const account = await signUp(app);
  await User.updateOne({ _id: account.user.id }, { role: 'admin' });
  const login = await request(app).post('/auth/login').send({ email: account.email, password: account.password });
  const token = login.body.accessToken as string;
  return { ...account, token, auth: { Authorization: `Bearer ${token}` } };
}

/** The stored document, read straight from the collection (not through the API under test). */
export const stored = (id: string) => Item.findById(id).lean();

/** The terms whose posting lists hold an item, sorted. */
export const indexedTerms = async (id: string) =>
  (await Term.find({ [`items.${id}`]: { $exists: true } }, { _id: 1 }).lean()).map((term) => term._id).sort();

/** The ids of a search answer's items, in order. */
export const ids = (response: request.Response) => (response.body.items as Array<{ id: string }>).map((item) => item.id);

/** A valid ObjectId that no item has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();
