import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, test } from '@jest/globals';
import { diskStorage } from '@hub/core/storage';
import { listen, signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { StoredFile } from '../src/files/file.model.ts';
import { aFile, binary, countingStorage, stored, storedObjects, testApp, upload, uploadDir } from './support.ts';

useTestDatabase();
const app = testApp();

const expectProblem = (response: request.Response, status: number, field?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
};

/** Nothing new in storage or in the collection since `before`. */
async function snapshot() {
  return { objects: await storedObjects(), records: await StoredFile.countDocuments() };
}

describe('POST /files', () => {
  test('stores the bytes under a server-made name (id.extension, the extension detected) and records owner, type, size and name', async () => {
    const account = await signUp(app);
    const body = aFile('png', 500);

    const response = await upload(app, account.auth, body, 'holiday.png', 'application/octet-stream');

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/files/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'holiday.png',
      type: 'image/png',
      size: 500,
      createdAt: expect.any(String),
    });
    const record = await stored(response.body.id);
    expect(record).toMatchObject({ name: 'holiday.png', type: 'image/png', size: 500, storageKey: `${response.body.id}.png` });
    expect(String(record?.owner)).toBe(account.user.id);
    expect(await readFile(join(uploadDir, `${response.body.id}.png`))).toEqual(body);
  });

  test('the type comes from the bytes: a PDF sent as notes.txt, text/plain, is recorded and stored as a PDF', async () => {
    const account = await signUp(app);

    const response = await upload(app, account.auth, aFile('pdf'), 'notes.txt', 'text/plain');

    expect(response.status).toBe(201);
    expect(response.body.type).toBe('application/pdf');
    expect((await stored(response.body.id))?.storageKey).toBe(`${response.body.id}.pdf`);
  });

  test.each<[string, Buffer, string, string]>([
    ['PHP renamed to .png', Buffer.from('<?php system($_GET["c"]); ?>'), 'avatar.png', 'image/png'],
    ['HTML renamed to .jpg', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'photo.jpg', 'image/jpeg'],
    [
      'SVG with a script',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'logo.svg',
      'image/svg+xml',
    ],
    ['a Windows executable renamed to .pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'invoice.pdf', 'application/pdf'],
    ['a 1 MB ZIP renamed to .gif', Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(1024 * 1024)]), 'cat.gif', 'image/gif'],
  ])('%s is refused with 415 naming the file, and nothing is stored', async (_case, body, filename, contentType) => {
    const account = await signUp(app);
    const before = await snapshot();

    const response = await upload(app, account.auth, body, filename, contentType);

    expectProblem(response, 415, 'file');
    expect(response.body.type).toBe('urn:backend-hub:problem:unsupported-file-type');
    expect(await snapshot()).toEqual(before);
  });
});

describe('multer limits', () => {
  const small = testApp({}, { UPLOAD_MAX_BYTES: '1024' });

  test('a file over UPLOAD_MAX_BYTES answers 413 problem+json naming the file; no bytes or record are kept. At the limit, it is stored', async () => {
    const account = await signUp(small);
    const before = await snapshot();

    const over = await upload(small, account.auth, aFile('png', 1025));

    expectProblem(over, 413, 'file');
    expect(await snapshot()).toEqual(before);
    expect((await upload(small, account.auth, aFile('png', 1024))).status).toBe(201);
  });

  test.each<[string, (r: request.Test) => request.Test, string]>([
    ['two files', (r) => r.attach('file', aFile(), 'a.png').attach('file', aFile(), 'b.png'), 'file'],
    ['a text field beside the file', (r) => r.field('note', 'hi').attach('file', aFile(), 'a.png'), 'file'],
    ['the file under another name', (r) => r.attach('upload', aFile(), 'a.png'), 'upload'],
  ])('%s answers 400 problem+json and stores nothing', async (_case, build, field) => {
    const account = await signUp(app);
    const before = await snapshot();

    const response = await build(request(app).post('/files').set(account.auth));

    expectProblem(response, 400, field);
    expect(await snapshot()).toEqual(before);
  });

  test('a JSON body answers 415 naming the Content-Type header', async () => {
    const account = await signUp(app);

    const response = await request(app).post('/files').set(account.auth).send({ file: 'aGVsbG8=' });

    expectProblem(response, 415, 'content-type');
  });

  test('without a token, answers 401 and reads nothing', async () => {
    const before = await snapshot();

    const response = await request(app).post('/files').attach('file', aFile(), 'a.png');

    expectProblem(response, 401);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the original name is only ever a Content-Disposition value', () => {
  /** One file part whose name travels as RFC 5987 `filename*`, so any character (NUL too) reaches the server. */
  const withName = (name: string) => {
    const head = `--B\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head), aFile(), Buffer.from('\r\n--B--\r\n')]);
  };

  test.each<[string, string]>([
    ['../../etc/passwd.png', 'passwd.png'],
    ['C:\\Users\\eve\\..\\photo.png', 'photo.png'],
    ['evil\u0000.png', 'evil.png'],
    ['invoice\u202Egnp.exe', 'invoicegnp.exe'],
    ['\u0007\u001b[31m.png', '[31m.png'],
    ['résumé 日本 "quoted".png', 'résumé 日本 "quoted".png'],
  ])('%j is stored as %j and sent back only in filename*, with an ASCII fallback', async (original, expected) => {
    const account = await signUp(app);

    const created = await request(app)
      .post('/files')
      .set(account.auth)
      .set('Content-Type', 'multipart/form-data; boundary=B')
      .send(withName(original));
    const download = await request(app).get(`/files/${created.body.id}/content`).set(account.auth).buffer(true).parse(binary);

    expect(created.status).toBe(201);
    expect(created.body.name).toBe(expected);
    expect((await stored(created.body.id))?.storageKey).toBe(`${created.body.id}.png`);
    const disposition = String(download.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(expected);
  });

  test('a raw NUL in the part header is a malformed body: 400, nothing stored', async () => {
    const account = await signUp(app);
    const before = await snapshot();

    const response = await upload(app, account.auth, aFile(), 'evil\u0000.png');

    expectProblem(response, 400, 'file');
    expect(await snapshot()).toEqual(before);
  });
});

describe('malformed multipart bodies', () => {
  const boundary = 'XyZ';
  const part = (headers: string, body = 'GIF89a') => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
  const end = `--${boundary}--\r\n`;
  const disposition = 'Content-Disposition: form-data; name="file"; filename="a.gif"';
  const bodies: Array<[string, string, string]> = [
    ['no boundary parameter', 'multipart/form-data', part(disposition) + end],
    ['an empty boundary', 'multipart/form-data; boundary=', part(disposition) + end],
    [
      'another boundary than announced',
      `multipart/form-data; boundary=${boundary}`,
      '--other\r\n' + disposition + '\r\n\r\nGIF89a\r\n--other--\r\n',
    ],
    ['no closing boundary', `multipart/form-data; boundary=${boundary}`, part(disposition)],
    ['a body cut inside the part headers', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-da`],
    ['an empty body', `multipart/form-data; boundary=${boundary}`, ''],
    ['only the closing boundary', `multipart/form-data; boundary=${boundary}`, end],
    ['a part without Content-Disposition', `multipart/form-data; boundary=${boundary}`, part('Content-Type: image/gif') + end],
    ['a part without a name', `multipart/form-data; boundary=${boundary}`, part('Content-Disposition: form-data; filename="a.gif"') + end],
    ['a part header without a colon', `multipart/form-data; boundary=${boundary}`, part('garbage header line') + end],
    [
      'a file part without a filename (a field)',
      `multipart/form-data; boundary=${boundary}`,
      part('Content-Disposition: form-data; name="file"') + end,
    ],
    [
      'an empty filename',
      `multipart/form-data; boundary=${boundary}`,
      part('Content-Disposition: form-data; name="file"; filename=""') + end,
    ],
    ['an empty file', `multipart/form-data; boundary=${boundary}`, part(disposition, '') + end],
    [
      'a header section that never ends',
      `multipart/form-data; boundary=${boundary}`,
      `--${boundary}\r\n${disposition}\r\n${'X-Pad: y\r\n'.repeat(40)}`,
    ],
    ['a part header folded onto the next line', `multipart/form-data; boundary=${boundary}`, part(`${disposition}\r\n : folded`) + end],
    ['two file parts', `multipart/form-data; boundary=${boundary}`, part(disposition) + part(disposition) + end],
    ['a form field only', `multipart/form-data; boundary=${boundary}`, part('Content-Disposition: form-data; name="note"', 'hello') + end],
    [
      'a boundary of 80 characters',
      `multipart/form-data; boundary=${'b'.repeat(80)}`,
      `--${'b'.repeat(80)}\r\n${disposition}\r\n\r\nGIF89a\r\n`,
    ],
    ['binary noise', `multipart/form-data; boundary=${boundary}`, '\u0000\u0001\u0002\u00ff'.repeat(50)],
    [
      'a field name of 200 characters',
      `multipart/form-data; boundary=${boundary}`,
      part(`Content-Disposition: form-data; name="${'n'.repeat(200)}"; filename="a.gif"`) + end,
    ],
  ];

  test('20 malformed bodies each answer 400 problem+json, nothing is stored, and the service still takes a good upload', async () => {
    const account = await signUp(app);
    const before = await snapshot();
    expect(bodies).toHaveLength(20);

    const answers: string[] = [];
    for (const [name, contentType, body] of bodies) {
      const response = await request(app).post('/files').set(account.auth).set('Content-Type', contentType).send(body);
      const problem = /^application\/problem\+json/.test(String(response.headers['content-type']));
      if (response.status !== 400 || !problem) answers.push(`${name} → ${response.status}`);
    }

    expect(answers).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect((await upload(app, account.auth)).status).toBe(201);
  });
});

describe('aborted uploads', () => {
  test('100 uploads abandoned half-way leave no file, partial or final, and no record', async () => {
    const { storage, counts } = countingStorage(diskStorage(uploadDir));
    const aborting = testApp({ storage });
    const account = await signUp(aborting);
    const running = await listen(aborting);
    const before = await snapshot();
    const { port } = new URL(running.url);
    const boundary = 'AbortedBoundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`;

    // Each sends the part head and 8 kB of a PNG (enough to be sniffed and stored), then hangs up.
    const requests = Array.from({ length: 100 }, () => {
      const req = httpRequest({
        port: Number(port),
        host: '127.0.0.1',
        method: 'POST',
        path: '/files',
        headers: { ...account.auth, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(1024 * 1024) },
      });
      req.on('error', () => {});
      req.write(head);
      req.write(aFile('png', 8192));
      return req;
    });
    await waitUntil(
      () => counts.started === 100,
      () => `${counts.started} started`,
    );
    for (const req of requests) req.destroy();
    await waitUntil(
      () => counts.settled === 100,
      () => `${counts.settled} settled`,
    );
    await running.close();

    expect(await snapshot()).toEqual(before);
  });
});

/** Polls until `condition` holds (the server's side of a hung-up request has no other signal); fails after 5 s. */
async function waitUntil(condition: () => boolean, state: () => string) {
  for (const started = Date.now(); !condition(); await delay(5)) {
    if (Date.now() - started > 5_000) throw new Error(`waitUntil: timed out with ${state()}`);
  }
}
