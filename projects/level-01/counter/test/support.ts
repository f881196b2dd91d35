// What this service's tests share: the app on this test file's database.
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';

/** The service's app with test settings, on the database useTestDatabase() connected for this file. */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}
