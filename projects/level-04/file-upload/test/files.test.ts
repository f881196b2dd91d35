import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, withoutRequestId, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { StoredFile } from '../src/files/file.model.ts';
import { Share } from '../src/shares/share.model.ts';
import { aFile, binary, stored, testApp, unusedId, upload, uploadDir } from './support.ts';

useTestDatabase();
const app = testApp();

const download = (id: string, auth: { Authorization: string }, range?: string) => {
  const req = request(app).get(`/files/${id}/content`).set(auth);
  return (range === undefined ? req : req.set('Range', range)).buffer(true).parse(binary);
};
const onDisk = (key: string) =>
  access(join(uploadDir, key)).then(
    () => true,
    () => false,
  );

describe('GET /files/:id/content', () => {
  /** One 2000-byte file the range tests read (they change nothing). */
  let ranged: Promise<{ account: TestAccount; body: Buffer; id: string }>;
  beforeAll(() => {
    ranged = (async () => {
      const account = await signUp(app);
      const body = aFile('png', 2000);
      return { account, body, id: (await upload(app, account.auth, body)).body.id as string };
    })();
  });

  test('streams the exact bytes as an attachment, with the detected type, nosniff and Accept-Ranges', async () => {
    const account = await signUp(app);
    const body = aFile('gif', 2000);
    const created = await upload(app, account.auth, body, 'cat.gif', 'text/html');

    const response = await download(created.body.id, account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(body);
    expect(response.headers).toMatchObject({
      'content-type': 'image/gif',
      'content-length': '2000',
      'content-disposition': `attachment; filename="cat.gif"; filename*=UTF-8''cat.gif`,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    });
  });

  test.each<[string, number, number]>([
    ['bytes=0-9', 0, 9],
    ['bytes=1990-', 1990, 1999],
    ['bytes=-5', 1995, 1999],
    ['bytes=100-100000', 100, 1999],
  ])('Range: %s answers 206 with those bytes and Content-Range', async (range, start, end) => {
    const { account, body, id } = await ranged;

    const response = await download(id, account.auth, range);

    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/2000`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.body).toEqual(body.subarray(start, end + 1));
  });

  test.each(['bytes=2000-2100', 'bytes=abc', 'items=0-1', 'bytes=5-1'])(
    'Range: %s answers 416 problem+json with Content-Range bytes */size',
    async (range) => {
      const { account, id } = await ranged;

      const response = await download(id, account.auth, range);

      expect(response.status).toBe(416);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['content-range']).toBe('bytes */2000');
      expect(response.headers['content-disposition']).toBeUndefined();
    },
  );

  test('several ranges are answered with the whole file (200), which RFC 9110 allows', async () => {
    const account = await signUp(app);
    const body = aFile('png', 500);
    const created = await upload(app, account.auth, body);

    const response = await download(created.body.id, account.auth, 'bytes=0-1,100-101');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(body);
  });
});

describe('reading and listing', () => {
  test("GET /files lists only the caller's files, newest first; GET /files/:id answers one", async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const first = await upload(app, alice.auth, aFile(), 'first.png');
    await StoredFile.updateOne({ _id: first.body.id }, { createdAt: new Date(Date.now() - 60_000) }, { timestamps: false });
    const second = await upload(app, alice.auth, aFile('pdf'), 'second.pdf');
    await upload(app, bob.auth, aFile(), 'bob.png');

    const list = await request(app).get('/files').set(alice.auth);
    const one = await request(app).get(`/files/${second.body.id}`).set(alice.auth);

    expect(list.status).toBe(200);
    expect(list.body.items.map((file: { name: string }) => file.name)).toEqual(['second.pdf', 'first.png']);
    expect(list.body.items[0]).not.toHaveProperty('storageKey');
    expect(one.body).toEqual(second.body);
  });
});

describe('DELETE /files/:id', () => {
  test('answers 204 and removes the record, the stored bytes and the share links', async () => {
    const account = await signUp(app);
    const created = await upload(app, account.auth);
    const key = (await stored(created.body.id))?.storageKey ?? '';
    const share = await request(app).post('/shares').set(account.auth).send({ file: created.body.id });
    expect(await onDisk(key)).toBe(true);

    const response = await request(app).delete(`/files/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(204);
    expect(await onDisk(key)).toBe(false);
    expect(await stored(created.body.id)).toBeNull();
    expect(await Share.countDocuments({ file: created.body.id })).toBe(0);
    expect((await request(app).get(share.body.url)).status).toBe(404);
    expect((await request(app).get(`/files/${created.body.id}`).set(account.auth)).status).toBe(404);
  });
});

describe("another account's files", () => {
  test.each<[string, (id: string) => request.Test]>([
    ['GET /files/:id', (id) => request(app).get(`/files/${id}`)],
    ['GET /files/:id/content', (id) => request(app).get(`/files/${id}/content`)],
    ['DELETE /files/:id', (id) => request(app).delete(`/files/${id}`)],
    ['POST /shares', (id) => request(app).post('/shares').send({ file: id })],
  ])('%s answers 404 exactly like a missing file, and changes nothing', async (_route, send) => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const created = await upload(app, alice.auth);
    const key = (await stored(created.body.id))?.storageKey ?? '';
    const missingId = unusedId();

    const foreign = await send(created.body.id).set(bob.auth);
    const missing = await send(missingId).set(bob.auth);

    expect(foreign.status).toBe(404);
    expect(withoutRequestId({ ...foreign.body, detail: '', instance: '' })).toEqual(
      withoutRequestId({ ...missing.body, detail: '', instance: '' }),
    );
    expect(await onDisk(key)).toBe(true);
    expect(await Share.countDocuments({ file: created.body.id })).toBe(0);
  });
});

describe('bad input', () => {
  test.each(['GET /files/%s', 'GET /files/%s/content', 'DELETE /files/%s'])(
    '%s with an id that is not an ObjectId answers 400 naming params.id',
    async (route) => {
      const account = await signUp(app);
      const [method = '', path = ''] = route.split(' ');

      const response = await request(app)[method.toLowerCase() as 'get'](path.replace('%s', 'not-an-id')).set(account.auth);

      expectFieldProblem(response, 'params', 'id');
    },
  );

  test.each([
    ['limit=0', { limit: '0' }, 'limit'],
    ['an unknown parameter', { owner: 'x' }, 'owner'],
  ])('GET /files with %s answers 400 naming the field', async (_case, query, field) => {
    const account = await signUp(app);

    expectFieldProblem(await request(app).get('/files').set(account.auth).query(query), 'query', field);
  });

  test.each<[string, () => request.Test]>([
    ['GET /files', () => request(app).get('/files')],
    ['GET /files/:id', () => request(app).get(`/files/${unusedId()}`)],
    ['GET /files/:id/content', () => request(app).get(`/files/${unusedId()}/content`)],
    ['DELETE /files/:id', () => request(app).delete(`/files/${unusedId()}`)],
    ['POST /shares', () => request(app).post('/shares').send({ file: unusedId() })],
  ])('%s without a token answers 401 problem+json', async (_route, send) => {
    const response = await send();

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
