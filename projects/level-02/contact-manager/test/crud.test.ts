import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describe('POST /contacts', () => {
  test('creates the contact: 201, Location, normalised fields, owned by the caller', async () => {
    const { auth, user } = await signUp(app);

    const response = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ name: '  Grace Hopper ', email: ' Grace@Navy.MIL ', tags: ['Navy', 'navy', 'COBOL'] }));

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/contacts/${response.body.id}`);
    expect(response.body).toMatchObject({ name: 'Grace Hopper', email: 'grace@navy.mil', tags: ['navy', 'cobol'] });
    const stored = await Contact.findById(response.body.id).lean();
    expect(String(stored?.owner)).toBe(user.id);
    expect(stored?.email).toBe('grace@navy.mil');
  });

  test.each([
    ['+14155550123', '+14155550123'],
    ['+1 (415) 555-0123', '+14155550123'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49-30-1234567', '+49301234567'],
    ['+123456789012345', '+123456789012345'],
  ])('accepts the phone number %s and stores it as %s (E.164)', async (input, stored) => {
    const { auth } = await signUp(app);

    const response = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ phones: [{ label: 'work', number: input }] }));

    expect(response.status).toBe(201);
    expect(response.body.phones).toEqual([{ label: 'work', number: stored }]);
    expect((await Contact.findById(response.body.id).lean())?.phones[0]?.number).toBe(stored);
  });

  test.each([
    ['no plus sign', '12345'],
    ['a country code starting with 0', '+0123'],
    ['16 digits', '+1234567890123456'],
    ['letters', '+1415CALLNOW'],
    ['only a plus', '+'],
  ])('when a phone number has %s, answers 400 naming phones.0.number and stores nothing', async (_case, number) => {
    const { auth, user } = await signUp(app);

    const response = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ phones: [{ label: 'mobile', number }] }));

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'phones.0.number' })]);
    expect(await Contact.countDocuments({ owner: user.id })).toBe(0);
  });

  test('mass assignment: owner, _id, createdAt and role in the body are ignored', async () => {
    const { auth, user } = await signUp(app);
    const victim = await signUp(app);
    const forgedId = '0123456789abcdef01234567';

    const response = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ owner: victim.user.id, _id: forgedId, createdAt: '2000-01-01T00:00:00.000Z', role: 'admin' }));

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(forgedId);
    expect(response.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    const stored = await Contact.findById(response.body.id).lean();
    expect(String(stored?.owner)).toBe(user.id);
    expect(await Contact.countDocuments({ owner: victim.user.id })).toBe(0);
    expect(await Contact.exists({ _id: forgedId })).toBeNull();
  });

  test('without a token, answers 401 and stores nothing', async () => {
    const before = await Contact.countDocuments();

    const response = await request(app).post('/contacts').send(aContact());

    expect(response.status).toBe(401);
    expect(await Contact.countDocuments()).toBe(before);
  });
});

describe('GET /contacts', () => {
  async function seed() {
    const account = await signUp(app);
    const people = [
      aContact({ name: 'Alan Turing', company: 'Bletchley Park', tags: ['crypto'], email: 'alan@bletchley.uk' }),
      aContact({ name: 'alice Liddell', company: 'Wonderland', tags: ['fiction'], email: 'alice@wonder.land' }),
      aContact({ name: 'Bob Kahn', company: 'DARPA', tags: ['net', 'crypto'], email: 'bob@darpa.mil' }),
      aContact({ name: 'Dot.Star', company: 'Regex Inc', tags: [], email: 'dot@regex.io' }),
      aContact({ name: '.*Literal', company: 'Regex Inc', tags: [], email: 'literal@regex.io' }),
    ];
    for (const person of people) await request(app).post('/contacts').set(account.auth).send(person);
    return account;
  }
  const names = (response: request.Response) => (response.body.items as Array<{ name: string }>).map(({ name }) => name);

  test('lists the caller’s contacts by name, case-insensitively, with page metadata', async () => {
    const { auth } = await seed();

    const response = await request(app).get('/contacts').set(auth).query({ limit: 2 });
    const second = await request(app).get('/contacts').set(auth).query({ limit: 2, page: 2 });

    expect(response.status).toBe(200);
    expect(names(response)).toEqual(['.*Literal', 'Alan Turing']);
    expect(names(second)).toEqual(['alice Liddell', 'Bob Kahn']);
    expect(response.body).toMatchObject({ total: 5, limit: 2, page: 1, pages: 3 });
  });

  test('filters by tag and by company (whole name, any case)', async () => {
    const { auth } = await seed();

    const byTag = await request(app).get('/contacts').set(auth).query({ tag: 'CRYPTO' });
    const byCompany = await request(app).get('/contacts').set(auth).query({ company: 'regex inc' });

    expect(names(byTag)).toEqual(['Alan Turing', 'Bob Kahn']);
    expect(names(byCompany)).toEqual(['.*Literal', 'Dot.Star']);
  });

  test('q matches a prefix of the name, company or email, case-insensitively', async () => {
    const { auth } = await seed();

    const byName = await request(app).get('/contacts').set(auth).query({ q: 'al' });
    const byCompany = await request(app).get('/contacts').set(auth).query({ q: 'darp' });
    const byEmail = await request(app).get('/contacts').set(auth).query({ q: 'alice@' });
    const notInside = await request(app).get('/contacts').set(auth).query({ q: 'turing' });

    expect(names(byName)).toEqual(['Alan Turing', 'alice Liddell']);
    expect(names(byCompany)).toEqual(['Bob Kahn']);
    expect(names(byEmail)).toEqual(['alice Liddell']);
    expect(names(notInside)).toEqual([]);
  });

  test('q=.* matches the two characters literally, not every contact', async () => {
    const { auth } = await seed();

    const response = await request(app).get('/contacts').set(auth).query({ q: '.*' });
    const dot = await request(app).get('/contacts').set(auth).query({ q: 'dot.' });

    expect(names(response)).toEqual(['.*Literal']);
    expect(names(dot)).toEqual(['Dot.Star']);
  });
});

describe('GET /contacts/:id', () => {
  test('answers the contact', async () => {
    const { auth } = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact());

    const response = await request(app).get(`/contacts/${created.body.id}`).set(auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
  });

  test('when no contact has that id, answers 404 problem+json', async () => {
    const { auth } = await signUp(app);

    const response = await request(app).get('/contacts/0123456789abcdef01234567').set(auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /contacts/:id', () => {
  test('changes only the fields sent; null removes company and notes', async () => {
    const { auth } = await signUp(app);
    const created = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ name: 'Zed' }));

    const response = await request(app)
      .patch(`/contacts/${created.body.id}`)
      .set(auth)
      .send({ name: 'Ada King', phones: [{ label: 'home', number: '+44 20 7946 0000' }], company: null, notes: null });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Ada King',
      email: created.body.email,
      phones: [{ label: 'home', number: '+442079460000' }],
      tags: ['friends'],
    });
    expect(response.body.company).toBeUndefined();
    expect(response.body.notes).toBeUndefined();
    const stored = await Contact.findById(created.body.id).lean();
    expect(stored).toMatchObject({ name: 'Ada King', nameLower: 'ada king' });
    expect(stored?.company).toBeUndefined();
  });

  test('ignores owner and createdAt in the body', async () => {
    const { auth, user } = await signUp(app);
    const other = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact());

    const response = await request(app)
      .patch(`/contacts/${created.body.id}`)
      .set(auth)
      .send({ owner: other.user.id, createdAt: '2000-01-01T00:00:00.000Z', notes: 'x' });

    expect(response.status).toBe(200);
    expect(response.body.createdAt).toBe(created.body.createdAt);
    expect(String((await Contact.findById(created.body.id).lean())?.owner)).toBe(user.id);
  });

  test('when the body is empty, answers 400', async () => {
    const { auth } = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact());

    const response = await request(app).patch(`/contacts/${created.body.id}`).set(auth).send({});

    expect(response.status).toBe(400);
  });
});

describe('DELETE /contacts/:id', () => {
  test('deletes: 204, then 404', async () => {
    const { auth } = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact());

    const response = await request(app).delete(`/contacts/${created.body.id}`).set(auth);
    const again = await request(app).delete(`/contacts/${created.body.id}`).set(auth);

    expect(response.status).toBe(204);
    expect(again.status).toBe(404);
    expect(await Contact.exists({ _id: created.body.id })).toBeNull();
  });
});
