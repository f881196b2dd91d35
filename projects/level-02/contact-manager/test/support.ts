// What the contact tests share: the app on this file's database, and contact factories with unique values.
import { randomUUID } from 'node:crypto';
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

const unique = () => randomUUID().slice(0, 8);

/** A valid POST /contacts body with unique name and email; override any field. */
export function aContact(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    name: `Ada ${id}`,
    email: `ada-${id}@example.com`,
    phones: [{ label: 'mobile', number: '+14155550123' }],
    company: 'Analytical Engines',
    tags: ['friends'],
    notes: 'met at the conference',
    ...overrides,
  };
}

export const uniqueEmail = () => `c-${unique()}@example.com`;
