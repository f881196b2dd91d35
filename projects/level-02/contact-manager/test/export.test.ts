import { describe, expect, test } from '@jest/globals';
import { listen, signUp, useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp } from './support.ts';

useTestDatabase();
const app = testApp();
const HEADER = ['name', 'email', 'phones', 'company', 'tags', 'notes', 'createdAt'];

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (quoted && char === '"' && text[at + 1] === '"') {
      field += '"';
      at += 1;
    } else if (char === '"') quoted = !quoted;
    else if (quoted) field += char;
    else if (char === ',') endField();
    else if (char === '\n') endRecord();
    else field += char;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

async function exportAs(auth: { Authorization: string }) {
  return request(app)
    .get('/contacts/export.csv')
    .set(auth)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
}

describe('GET /contacts/export.csv', () => {
  test('streams all 2,000 of the caller’s contacts as CSV: headers, header row, one record each', async () => {
    const { auth, user } = await signUp(app);
    const stranger = await signUp(app);
    const owner = new mongoose.Types.ObjectId(user.id);
    await Contact.insertMany(
      Array.from({ length: 2000 }, (_, index) => ({
        owner,
        name: index % 500 === 0 ? `Tricky, "quoted"\nname ${index}` : `Person ${String(index).padStart(4, '0')}`,
        email: `p${index}@example.com`,
        phones: [
          { label: 'mobile', number: '+14155550123' },
          { label: 'work', number: '+442079460958' },
        ],
        tags: ['bulk', 'export'],
      })),
    );
    await request(app)
      .post('/contacts')
      .set(stranger.auth)
      .send(aContact({ name: 'Not Yours' }));

    const response = await exportAs(auth);
    const records = parseCsv(response.body as string);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="contacts.csv"');
    expect(records[0]).toEqual(HEADER);
    expect(records).toHaveLength(2001);
    expect(records.every((record) => record.length === HEADER.length)).toBe(true);
    expect(new Set(records.slice(1).map((record) => record[1])).size).toBe(2000);
    expect(records.some((record) => record[0] === 'Not Yours')).toBe(false);
    expect(records.find((record) => record[0] === 'Tricky, "quoted"\nname 500')).toBeDefined();
    expect(records[1]?.[2]).toBe('mobile +14155550123; work +442079460958');
    expect(records[1]?.[4]).toBe('bulk; export');
  });

  test('with no contacts, answers the header row only', async () => {
    const { auth } = await signUp(app);

    const response = await exportAs(auth);

    expect(response.status).toBe(200);
    expect(response.body).toBe(`${HEADER.join(',')}\n`);
  });

  test('takes the listing’s filters: ?tag= exports only those contacts', async () => {
    const { auth } = await signUp(app);
    await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ name: 'Tagged', tags: ['vip'] }));
    await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ name: 'Untagged', tags: [] }));

    const response = await request(app).get('/contacts/export.csv').set(auth).query({ tag: 'vip' });

    expect(parseCsv(response.text).map((record) => record[0])).toEqual(['name', 'Tagged']);
  });

  test('when the client disconnects mid-download, the server lives on and keeps answering', async () => {
    const { auth, user } = await signUp(app);
    const owner = new mongoose.Types.ObjectId(user.id);
    await Contact.insertMany(Array.from({ length: 3000 }, (_, index) => ({ owner, name: `Reader ${index}`, notes: 'n'.repeat(500) })));
    const server = await listen(app);
    try {
      const aborting = new AbortController();
      const response = await fetch(`${server.url}/contacts/export.csv`, { headers: auth, signal: aborting.signal });
      const reader = response.body?.getReader();
      await reader?.read();
      aborting.abort();

      const health = await fetch(`${server.url}/health`);
      const again = await fetch(`${server.url}/contacts/export.csv?tag=none`, { headers: auth });

      expect(response.status).toBe(200);
      expect(health.status).toBe(200);
      expect(await again.text()).toBe(`${HEADER.join(',')}\n`);
    } finally {
      await server.close();
    }
  });

  test('without a token, answers 401 problem+json', async () => {
    const response = await request(app).get('/contacts/export.csv');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('CSV injection (OWASP): a cell that a spreadsheet would run as a formula gets a leading quote', () => {
  test.each([
    ['=', { name: '=HYPERLINK("http://evil.example","click")' }, 'name'],
    ['+', { company: '+1+cmd|" /C calc"!A0' }, 'company'],
    ['-', { notes: '-2+3' }, 'notes'],
    ['@', { notes: '@SUM(1+1)' }, 'notes'],
    ['a tab', { notes: '\t=1+1' }, 'notes'],
    ['a carriage return', { notes: '\r=1+1' }, 'notes'],
    ['= (in a tag)', { tags: ['=cmd'] }, 'tags'],
  ])("a cell starting with %s is exported with a leading '", async (_start, overrides, column) => {
    const { auth } = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact(overrides));
    const value = ((overrides as Record<string, unknown>)[column] as string | string[]).toString();

    const response = await exportAs(auth);
    const [header, row] = parseCsv(response.body as string);

    expect(created.status).toBe(201);
    expect(row?.[header?.indexOf(column) ?? -1]).toBe(`'${value}`);
  });

  test('ordinary cells are left alone', async () => {
    const { auth } = await signUp(app);
    await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ name: 'Plain Name', company: 'A-Team', notes: 'x = y' }));

    const [, row] = parseCsv((await exportAs(auth)).body as string);

    expect(row?.slice(0, 1)).toEqual(['Plain Name']);
    expect(row?.[3]).toBe('A-Team');
    expect(row?.[5]).toBe('x = y');
  });
});
