// Where uploaded bytes live: ImageKit when its keys are set, a local directory otherwise. Both
// take a stream and never hold a whole file in memory; both answer byte ranges; delete is final.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageKit, NotFoundError } from '@imagekit/nodejs';
import { z } from 'zod';
import { ConfigError } from './config.ts';

/** The config keys of the storage adapter; a service spreads them into its own config. */
export const storageConfig = {
  UPLOAD_DIR: z.string().min(1).default('.hub/uploads').describe('the directory uploads are stored in when ImageKit is not configured'),
  IMAGEKIT_PRIVATE_KEY: z.string().min(1).optional().describe('ImageKit private API key; when set, files are stored in ImageKit'),
  IMAGEKIT_URL_ENDPOINT: z.url().optional().describe('the ImageKit URL endpoint files are downloaded from (https://ik.imagekit.io/<id>)'),
  IMAGEKIT_FOLDER: z
    .string()
    .regex(/^\/[\w/-]*$/, 'must be a folder path such as /uploads')
    .default('/uploads'),
  IMAGEKIT_BASE_URL: z.url().optional().describe('the ImageKit API base URL; only a test stub or a proxy needs it'),
};

export interface StorageConfig {
  UPLOAD_DIR: string;
  IMAGEKIT_PRIVATE_KEY?: string | undefined;
  IMAGEKIT_URL_ENDPOINT?: string | undefined;
  IMAGEKIT_FOLDER: string;
  IMAGEKIT_BASE_URL?: string | undefined;
}

/** A byte range, both ends included, as in `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  /** The adapter's handle for the object: keep it, and hand it back to read or delete it. */
  key: string;
  /** Bytes written. */
  size: number;
}

export interface Storage {
  readonly kind: 'imagekit' | 'disk';
  /** Streams `body` into storage as `name` (a server-made name: letters, digits, `.`, `-`, `_`). */
  put(name: string, body: Readable, contentType: string): Promise<StoredObject>;
  /** The object's bytes, or only `range` of them. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; removing one that is already gone is not an error. */
  delete(key: string): Promise<void>;
}

// Names and keys come from the server, but a path is built from them: refuse anything that could leave the folder.
const SAFE_NAME = /^[\w-][\w.-]*$/;
function checkName(name: string): string {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new Error(`storage: unsafe object name ${JSON.stringify(name)}`);
  return name;
}

/** Stores each object as a file in `directory`; it is written under a temporary name and renamed once complete. */
export function diskStorage(directory: string): Storage {
  const root = resolve(directory);
  const ready = mkdir(root, { recursive: true });
  const pathOf = (key: string) => join(root, checkName(key));
  return {
    kind: 'disk',
    async put(name, body) {
      await ready;
      const final = pathOf(name);
      // A dot name: a listing of finished objects can skip it, and a crash leaves it recognisable.
      const partial = join(root, `.${checkName(name)}.${randomUUID()}.partial`);
      const file = createWriteStream(partial, { flags: 'wx' });
      try {
        await pipeline(body, file);
        await rename(partial, final);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key: name, size: file.bytesWritten };
    },
    async read(key, range) {
      const stream = createReadStream(pathOf(key), range ?? {});
      // Opening fails asynchronously; wait for it, so a missing file is a rejection here, not a broken stream later.
      await new Promise<void>((opened, failed) => stream.once('open', () => opened()).once('error', failed));
      return stream;
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

export interface ImageKitOptions {
  privateKey: string;
  urlEndpoint: string;
  folder: string;
  baseURL?: string | undefined;
  /** Where a stream is spooled before it is handed to the SDK (default: the OS temp directory). */
  spoolDirectory?: string;
}

/**
 * Stores objects in ImageKit with the official SDK. Its key is `<fileId><filePath>` (the id to
 * delete it, the path to download it from the URL endpoint). The SDK turns a stream into one
 * in-memory Blob before it uploads it, so the stream is first spooled to a temporary file and the
 * SDK is given a file-backed Blob instead: memory stays flat whatever the file's size.
 */
export function imageKitStorage(options: ImageKitOptions): Storage {
  const client = new ImageKit({ privateKey: options.privateKey, baseURL: options.baseURL ?? null, maxRetries: 1 });
  const endpoint = options.urlEndpoint.replace(/\/+$/, '');
  const spool = options.spoolDirectory ?? tmpdir();
  const parse = (key: string) => {
    const slash = key.indexOf('/');
    if (slash < 1) throw new Error(`storage: not an ImageKit key: ${JSON.stringify(key)}`);
    return { fileId: key.slice(0, slash), filePath: key.slice(slash) };
  };
  return {
    kind: 'imagekit',
    async put(name, body, contentType) {
      const temporary = join(spool, `hub-upload-${randomUUID()}-${checkName(name)}`);
      try {
        const file = createWriteStream(temporary, { flags: 'wx' });
        await pipeline(body, file);
        const blob = await openAsBlob(temporary, { type: contentType });
        const uploaded = await client.files.upload({
          file: new File([blob], name, { type: contentType }),
          fileName: name,
          folder: options.folder,
          useUniqueFileName: false,
        });
        if (!uploaded.fileId || !uploaded.filePath) throw new Error('storage: ImageKit answered an upload without fileId or filePath');
        return { key: `${uploaded.fileId}${uploaded.filePath}`, size: file.bytesWritten };
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async read(key, range) {
      const { filePath } = parse(key);
      const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end}` } : {};
      const response = await fetch(`${endpoint}${filePath}`, { headers });
      // A range answered with the whole file (200) would be sent as if it were the range: refuse it.
      const expected = range ? 206 : 200;
      if (response.status !== expected || !response.body) throw new Error(`storage: ImageKit answered ${response.status} for ${filePath}`);
      return Readable.fromWeb(response.body);
    },
    async delete(key) {
      try {
        await client.files.delete(parse(key).fileId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
  };
}

/** ImageKit when IMAGEKIT_PRIVATE_KEY is set (then IMAGEKIT_URL_ENDPOINT is required), else UPLOAD_DIR on local disk. */
export function createStorage(config: StorageConfig): Storage {
  const { IMAGEKIT_PRIVATE_KEY: privateKey, IMAGEKIT_URL_ENDPOINT: urlEndpoint } = config;
  if (!privateKey) return diskStorage(config.UPLOAD_DIR);
  if (!urlEndpoint)
    throw new ConfigError('IMAGEKIT_URL_ENDPOINT: required when IMAGEKIT_PRIVATE_KEY is set (files are downloaded from it).');
  return imageKitStorage({ privateKey, urlEndpoint, folder: config.IMAGEKIT_FOLDER, baseURL: config.IMAGEKIT_BASE_URL });
}
