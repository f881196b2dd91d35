import { testConfig, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Task } from '../src/tasks/task.model.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

/** Creates a task through POST /tasks and returns its body and ETag. */
export async function createTask(app: Express, account: TestAccount, overrides: Record<string, unknown> = {}) {
  const response = await request(app)
    .post('/tasks')
    .set(account.auth)
    .send({ title: `task ${new mongoose.Types.ObjectId().toHexString().slice(-6)}`, ...overrides });
  if (response.status !== 201) throw new Error(`createTask: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return { task: response.body as { id: string; version: number; title: string; status: string }, etag: String(response.headers.etag) };
}

/** The stored document, read straight from the database, not through the API. */
export const stored = (id: string) => Task.findById(id).lean();

/** A valid ObjectId no task has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();
