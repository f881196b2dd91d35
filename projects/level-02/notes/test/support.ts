// What the notes tests share: the app on this file's database, and note factories with unique values.
import { randomUUID } from 'node:crypto';
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { Note } from '../src/notes/note.model.ts';

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4), on the
 * database useTestDatabase() connected for this file. Override any dependency.
 */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  return buildApp({ config: testConfig(serviceConfig), db: mongoose.connection, ...overrides });
}

export const unique = (prefix = 'note') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid POST /notes body; override any field. */
export const aNote = (overrides: Record<string, unknown> = {}) => ({
  title: unique('title'),
  body: 'some text',
  tags: ['work'],
  ...overrides,
});

/** The stored document, read straight from the collection (not through the API under test). */
export const stored = (id: string) => Note.findById(id).lean();

/**
 * Inserts notes for `ownerId` directly, with explicit timestamps, for listing tests that need a
 * known order. `minutesAgo` sets updatedAt (and createdAt) that many minutes before now.
 */
export async function seedNotes(ownerId: string, notes: Array<Record<string, unknown> & { minutesAgo?: number }>) {
  const now = Date.now();
  const docs = notes.map(({ minutesAgo = 0, ...fields }, index) => {
    const at = new Date(now - minutesAgo * 60_000 - index);
    return { owner: ownerId, title: unique('seed'), createdAt: at, updatedAt: at, ...fields };
  });
  return Note.insertMany(docs, { timestamps: false });
}
