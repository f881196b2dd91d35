import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ConfigError } from '../src/config.ts';
import { createStorage, diskStorage, imageKitStorage, type Storage } from '../src/storage.ts';

const PRIVATE_KEY = 'private_test_key';
const bytes = (value: string) => Readable.from([Buffer.from(value)]);

/**
 * A local stand-in for ImageKit: the upload API (multipart, Basic auth with the private key),
 * the delete API, and the URL endpoint that serves files, with byte ranges.
 */
function imageKitStub() {
  const files = new Map<string, { fileId: string; filePath: string; body: Buffer; type: string }>();
  const uploads: Array<{ fields: Record<string, string>; authorized: boolean }> = [];
  const body = async (req: IncomingMessage) => Buffer.concat(await req.toArray());
  const server: Server = createServer(async (req, res) => {
    // ImageKit reads the private key as the Basic username and ignores the password.
    const credentials = Buffer.from(String(req.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    const authorized = credentials.split(':')[0] === PRIVATE_KEY;
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'POST' && url.pathname === '/api/v1/files/upload') {
      const form = await new Response(await body(req), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
      const fields = Object.fromEntries([...form.entries()].flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])));
      uploads.push({ fields, authorized });
      if (!authorized) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad key"}');
      const file = form.get('file') as File;
      const fileId = `id${files.size + 1}`;
      const filePath = `${fields.folder}/${fields.fileName}`;
      files.set(filePath, { fileId, filePath, body: Buffer.from(await file.arrayBuffer()), type: file.type });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ fileId, filePath, name: fields.fileName, size: file.size }));
      return;
    }
    const deleting = /^\/v1\/files\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && deleting) {
      const entry = [...files.values()].find((file) => file.fileId === deleting[1]);
      if (!authorized || !entry) return void res.writeHead(authorized ? 404 : 401, { 'content-type': 'application/json' }).end('{}');
      files.delete(entry.filePath);
      return void res.writeHead(204).end();
    }
    const file = files.get(url.pathname);
    if (req.method !== 'GET' || !file) return void res.writeHead(404).end();
    // A file named ignores-range.* is served by an endpoint that ignores Range, as a cache might.
    const range = url.pathname.includes('ignores-range') ? null : /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    if (!range) return void res.writeHead(200, { 'content-type': file.type }).end(file.body);
    res.writeHead(206, { 'content-type': file.type }).end(file.body.subarray(Number(range[1]), Number(range[2]) + 1));
  });
  return { server, files, uploads };
}

const stub = imageKitStub();
let stubUrl = '';
let spool = '';
let directory = '';

beforeAll(async () => {
  stub.server.listen(0, '127.0.0.1');
  await once(stub.server, 'listening');
  stubUrl = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
  spool = await mkdtemp(join(tmpdir(), 'storage-spool-'));
  directory = await mkdtemp(join(tmpdir(), 'storage-disk-'));
});

afterAll(async () => {
  stub.server.close();
  await Promise.all([rm(spool, { recursive: true, force: true }), rm(directory, { recursive: true, force: true })]);
});

const imageKit = (privateKey = PRIVATE_KEY) =>
  imageKitStorage({ privateKey, urlEndpoint: `${stubUrl}/`, folder: '/uploads', baseURL: stubUrl, spoolDirectory: spool });

/** The contract both adapters keep: put, read all or a range, delete (twice is fine), then reading fails. */
async function expectTheContract(storage: Storage, name: string) {
  const stored = await storage.put(name, bytes('hello, storage'), 'image/png');

  expect(stored.size).toBe(14);
  expect(await text(await storage.read(stored.key))).toBe('hello, storage');
  expect(await text(await storage.read(stored.key, { start: 7, end: 13 }))).toBe('storage');
  await storage.delete(stored.key);
  await storage.delete(stored.key);
  await expect(storage.read(stored.key)).rejects.toThrow();
  return stored;
}

describe('imageKitStorage() against a local stub of the ImageKit API', () => {
  test('put uploads with the private key, the server-made name, the folder and no unique suffix; read and delete go to ImageKit', async () => {
    const stored = await expectTheContract(imageKit(), 'abc123.png');

    expect(stored.key).toBe('id1/uploads/abc123.png');
    expect(stub.uploads.at(-1)).toEqual({
      authorized: true,
      fields: expect.objectContaining({ fileName: 'abc123.png', folder: '/uploads', useUniqueFileName: 'false' }),
    });
    expect(stub.files.size).toBe(0);
  });

  test('the stream is spooled to a temporary file, which is gone afterwards, also when ImageKit refuses the upload', async () => {
    await imageKit().put('spooled.png', bytes('x'), 'image/png');
    await expect(imageKit('wrong_key').put('refused.png', bytes('y'), 'image/png')).rejects.toThrow();

    expect(await readdir(spool)).toEqual([]);
    expect([...stub.files.keys()]).toEqual(['/uploads/spooled.png']);
  });

  test('a range answered with the whole file (200, not 206) is refused rather than sent as the range', async () => {
    const stored = await imageKit().put('ignores-range.png', bytes('0123456789'), 'image/png');

    await expect(imageKit().read(stored.key, { start: 2, end: 3 })).rejects.toThrow(/answered 200/);
    expect(await text(await imageKit().read(stored.key))).toBe('0123456789');
  });

  test('a name that could leave the folder is refused before anything is sent', async () => {
    const before = stub.uploads.length;

    await expect(imageKit().put('../escape.png', bytes('z'), 'image/png')).rejects.toThrow(/unsafe object name/);
    expect(stub.uploads).toHaveLength(before);
  });
});

describe('diskStorage()', () => {
  test('keeps the contract: put, read, range, delete', async () => {
    const stored = await expectTheContract(diskStorage(directory), 'def456.pdf');

    expect(stored.key).toBe('def456.pdf');
    expect(await readdir(directory)).toEqual([]);
  });

  test('a stream that fails half-way leaves no file behind, neither partial nor final', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('half'));
        this.destroy(new Error('client went away'));
      },
    });

    await expect(diskStorage(directory).put('broken.png', failing, 'image/png')).rejects.toThrow('client went away');
    expect(await readdir(directory)).toEqual([]);
  });

  test.each(['../etc/passwd', 'a/b.png', '.hidden', ''])('refuses the key %j', async (key) => {
    await expect(diskStorage(directory).read(key)).rejects.toThrow(/unsafe object name/);
    await expect(diskStorage(directory).delete(key)).rejects.toThrow(/unsafe object name/);
  });
});

describe('createStorage()', () => {
  const base = { UPLOAD_DIR: tmpdir(), IMAGEKIT_FOLDER: '/uploads' };

  test('without IMAGEKIT_PRIVATE_KEY it stores on disk; with it, in ImageKit', () => {
    expect(createStorage(base).kind).toBe('disk');
    expect(createStorage({ ...base, IMAGEKIT_PRIVATE_KEY: PRIVATE_KEY, IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/demo' }).kind).toBe(
      'imagekit',
    );
  });

  test('a private key without a URL endpoint is a ConfigError naming IMAGEKIT_URL_ENDPOINT', () => {
    expect(() => createStorage({ ...base, IMAGEKIT_PRIVATE_KEY: PRIVATE_KEY })).toThrow(ConfigError);
    expect(() => createStorage({ ...base, IMAGEKIT_PRIVATE_KEY: PRIVATE_KEY })).toThrow(/IMAGEKIT_URL_ENDPOINT/);
  });
});
