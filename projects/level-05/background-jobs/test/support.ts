// What this service's tests share: the app on this file's test database, and valid bodies.
import { randomUUID } from 'node:crypto';
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Item } from '../src/items/item.model.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency: a config built
 * with other env values, another client, a clock.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

export const unique = (prefix = 'item') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid POST /items body; override any field. */
export const anItem = (overrides: Record<string, unknown> = {}) => ({ name: unique(), quantity: 3, ...overrides });

/** The stored document, read straight from the collection (not through the API under test). */
export const stored = (id: string) => Item.findById(id).lean();

/** A valid ObjectId that no item has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();
