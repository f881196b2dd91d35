// What this service's tests share: the app on this file's test database, a storage directory of
// its own, and small files whose first bytes say what they are.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskStorage, type Storage } from '@hub/core/storage';
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { StoredFile } from '../src/files/file.model.ts';

/** This test file's upload directory (a fresh temporary one). */
export const uploadDir = mkdtempSync(join(tmpdir(), 'file-upload-test-'));

/** What is in the upload directory, temporary files included. */
export const storedObjects = () => readdir(uploadDir);

/**
 * The service's app with test settings (NODE_ENV=test, a test JWT secret, bcrypt cost 4) on the
 * database useTestDatabase() connected for this file, storing on disk in uploadDir. `env`
 * overrides config keys (UPLOAD_MAX_BYTES=…); any dependency can be replaced.
 */
export function testApp(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}): Express {
  const config = testConfig(serviceConfig, { UPLOAD_DIR: uploadDir, ...env });
  return buildApp({ config, db: mongoose.connection, storage: diskStorage(uploadDir), ...overrides });
}

/** Storage that counts the puts started and settled, to wait for work the client no longer sees. */
export function countingStorage(inner: Storage) {
  const counts = { started: 0, settled: 0 };
  const storage: Storage = {
    ...inner,
    put(...args) {
      counts.started += 1;
      return inner.put(...args).finally(() => {
        counts.settled += 1;
      });
    },
  };
  return { storage, counts };
}

/** A PNG's signature and IHDR chunk, then an IDAT chunk header: file-type decides at the IDAT. */
function pngHead(size: number) {
  const ihdr = Buffer.concat([Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(17)]);
  const idat = Buffer.alloc(8);
  idat.writeInt32BE(Math.max(0, size - 8 - ihdr.length - 12));
  idat.write('IDAT', 4, 'latin1');
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), ihdr, idat]);
}

const HEADS = {
  png: pngHead,
  jpg: () => Buffer.from('ffd8ffe000104a464946', 'hex'),
  gif: () => Buffer.from('GIF89a'),
  pdf: () => Buffer.from('%PDF-1.7\n'),
};

/** A file of `size` bytes that starts with the magic bytes of `kind` (random bytes after them). */
export function aFile(kind: keyof typeof HEADS = 'png', size = 300): Buffer {
  const head = HEADS[kind](size);
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

/** POST /files with one part named `file`. */
export const upload = (app: Express, auth: { Authorization: string }, body = aFile(), filename = 'photo.png', contentType = 'image/png') =>
  request(app).post('/files').set(auth).attach('file', body, { filename, contentType });

/** The stored record, read straight from the collection (not through the API under test). */
export const stored = (id: string) => StoredFile.findById(id).lean();

/** A valid ObjectId that no file has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();

/** Collects a binary response body as a Buffer (supertest only buffers text by default). */
export const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
