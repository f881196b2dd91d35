// What the expense tests share: the app on this file's database, factories, and a seeded random source.
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Expense } from '../src/expenses/expense.model.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

/** A valid POST /expenses body; override any field. */
export const anExpense = (overrides: Record<string, unknown> = {}) => ({
  amount: 1250,
  currency: 'EUR',
  category: 'food',
  description: 'Lunch',
  spentAt: '2025-01-15T12:00:00.000Z',
  ...overrides,
});

/** The stored document, read straight from the collection (not through the API under test). */
export const stored = (id: string) => Expense.findById(id).lean();

export const ownExpenses = (ownerId: string) => Expense.countDocuments({ owner: ownerId });

/** mulberry32: a tiny seeded generator, so a failing random test fails the same way every run. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
  };
}
