import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Share } from '../src/shares/share.model.ts';
import { aFile, binary, testApp, unusedId, upload } from './support.ts';

useTestDatabase();
let clock = new Date('2026-06-01T12:00:00Z');
const app = testApp({ now: () => clock });

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const fetchShare = (url: string, password?: string) => {
  const req = request(app).get(url).buffer(true).parse(binary);
  return password === undefined ? req : req.set('X-Share-Password', password);
};

/** An account with one uploaded file, and a share of it made with `options`. */
async function sharedFile(options: Record<string, unknown> = {}) {
  const account = await signUp(app);
  const body = aFile('pdf', 1000);
  const file = await upload(app, account.auth, body, 'report.pdf');
  const share = await request(app)
    .post('/shares')
    .set(account.auth)
    .send({ file: file.body.id, ...options });
  return { account, body, file: file.body as { id: string }, share };
}

describe('POST /shares', () => {
  /** An account and one of its files, for the bad-input table (which stores nothing). */
  let owner: Promise<{ account: TestAccount; file: string }>;
  beforeAll(() => {
    owner = (async () => {
      const account = await signUp(app);
      return { account, file: (await upload(app, account.auth)).body.id as string };
    })();
  });

  test('answers 201 with a 256-bit base64url token shown once; only its SHA-256 is stored', async () => {
    const { file, share } = await sharedFile();

    expect(share.status).toBe(201);
    expect(share.body).toEqual({
      id: expect.any(String),
      file: file.id,
      token: expect.stringMatching(/^[\w-]{43}$/),
      url: `/shares/${share.body.token}`,
      expiresAt: null,
      maxDownloads: null,
      passwordProtected: false,
      createdAt: expect.any(String),
    });
    expect(share.headers.location).toBe(share.body.url);
    expect(Buffer.from(share.body.token, 'base64url')).toHaveLength(32);
    const record = await Share.findById(share.body.id).lean();
    expect(record?.tokenHash).toBe(sha256(share.body.token));
    expect(JSON.stringify(record)).not.toContain(share.body.token);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['the file is missing', { file: undefined }, 'file'],
    ['the file is not an ObjectId', { file: 'abc' }, 'file'],
    ['expiresInSeconds is under a minute', { expiresInSeconds: 10 }, 'expiresInSeconds'],
    ['expiresInSeconds is a string', { expiresInSeconds: '60' }, 'expiresInSeconds'],
    ['maxDownloads is 0', { maxDownloads: 0 }, 'maxDownloads'],
    ['maxDownloads is a fraction', { maxDownloads: 1.5 }, 'maxDownloads'],
    ['the password is too short', { password: 'short' }, 'password'],
    ['the password is an operator object', { password: { $ne: '' } }, 'password'],
    ['an unknown field is sent', { downloads: 0 }, 'downloads'],
  ])('when %s, answers 400 naming the field and stores no share', async (_case, override, field) => {
    const { account, file } = await owner;
    const before = await Share.countDocuments();

    const response = await request(app)
      .post('/shares')
      .set(account.auth)
      .send({ file, ...override });

    expectFieldProblem(response, 'body', field);
    expect(await Share.countDocuments()).toBe(before);
  });
});

describe('GET /shares/:token', () => {
  test('downloads the file without an account, as an attachment, with nosniff and Range support', async () => {
    const { body, share } = await sharedFile();

    const whole = await fetchShare(share.body.url);
    const part = await fetchShare(share.body.url).set('Range', 'bytes=0-3');

    expect(whole.status).toBe(200);
    expect(whole.body).toEqual(body);
    expect(whole.headers['content-disposition']).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(whole.headers['x-content-type-options']).toBe('nosniff');
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('%PDF');
  });

  test('an unknown token answers 404; one that is not a token answers 400 naming params.token', async () => {
    const unknown = await request(app).get(`/shares/${'a'.repeat(43)}`);
    const malformed = await request(app).get('/shares/short');

    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectFieldProblem(malformed, 'params', 'token');
  });

  test('a link with an expiry works until it, and answers 410 from then on, by the injected clock', async () => {
    const { share } = await sharedFile({ expiresInSeconds: 3600 });
    const created = clock;

    clock = new Date(created.getTime() + 3599_000);
    const before = await fetchShare(share.body.url);
    clock = new Date(created.getTime() + 3600_000);
    const at = await fetchShare(share.body.url);
    clock = created;

    expect(share.body.expiresAt).toBe(new Date(created.getTime() + 3600_000).toISOString());
    expect(before.status).toBe(200);
    expect(at.status).toBe(410);
    expect(at.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('a password link: missing or wrong → 403 naming the header, right → 200; only a bcrypt hash is stored', async () => {
    const { share } = await sharedFile({ password: 'open sesame 42' });

    const missing = await fetchShare(share.body.url);
    const wrong = await fetchShare(share.body.url, 'open sesame 43');
    const right = await fetchShare(share.body.url, 'open sesame 42');

    expect(share.body.passwordProtected).toBe(true);
    expect([missing.status, wrong.status, right.status]).toEqual([403, 403, 200]);
    for (const refused of [missing, wrong]) {
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.body.toString()).errors).toEqual([expect.objectContaining({ in: 'headers', field: 'x-share-password' })]);
    }
    const record = await Share.findById(share.body.id).lean();
    expect(record?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(JSON.stringify(record)).not.toContain('open sesame');
    expect(record?.downloads).toBe(1);
  });

  test('20 concurrent downloads of a 5-download link: exactly 5 succeed, 15 answer 410, and the count stops at 5', async () => {
    const { share } = await sharedFile({ maxDownloads: 5 });

    const responses = await Promise.all(Array.from({ length: 20 }, () => fetchShare(share.body.url)));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(15).fill(410)]);
    expect(await Share.findById(share.body.id).lean()).toMatchObject({ downloads: 5, downloadsLeft: 0 });
  });

  test('a wrong password does not use up a download', async () => {
    const { share } = await sharedFile({ maxDownloads: 1, password: 'open sesame 42' });

    await fetchShare(share.body.url, 'not the password');
    const right = await fetchShare(share.body.url, 'open sesame 42');

    expect(right.status).toBe(200);
    expect((await fetchShare(share.body.url, 'open sesame 42')).status).toBe(410);
  });

  test('without maxDownloads a link is unlimited, and counts its downloads', async () => {
    const { share } = await sharedFile();

    const statuses = await Promise.all(Array.from({ length: 6 }, async () => (await fetchShare(share.body.url)).status));

    expect(statuses).toEqual(Array(6).fill(200));
    expect(await Share.findById(share.body.id).lean()).toMatchObject({ downloads: 6, downloadsLeft: null });
  });

  test("a share of another account's file cannot be made: 404, no share stored", async () => {
    const { file } = await sharedFile();
    const stranger = await signUp(app);
    const before = await Share.countDocuments();

    const response = await request(app).post('/shares').set(stranger.auth).send({ file: file.id });
    const missing = await request(app).post('/shares').set(stranger.auth).send({ file: unusedId() });

    expect([response.status, missing.status]).toEqual([404, 404]);
    expect(await Share.countDocuments()).toBe(before);
  });
});
