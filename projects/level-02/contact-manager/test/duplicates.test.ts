import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp, uniqueEmail } from './support.ts';

useTestDatabase();
const app = testApp();

describe('one email per owner (compound unique index)', () => {
  test('when the owner already has a contact with that email, POST answers 409 problem+json naming email', async () => {
    const { auth, user } = await signUp(app);
    const email = uniqueEmail();
    await request(app).post('/contacts').set(auth).send(aContact({ email }));

    const response = await request(app).post('/contacts').set(auth).send(aContact({ email }));

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(await Contact.countDocuments({ owner: user.id, email })).toBe(1);
  });

  test('emails differing only in case and spaces are the same email: `Ann@X.io` then ` ann@x.io` answers 409', async () => {
    const { auth, user } = await signUp(app);
    const local = `Ann-${Date.now()}`;
    const first = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ email: `${local}@X.io` }));

    const second = await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ email: ` ${local.toLowerCase()}@x.io ` }));

    expect(first.status).toBe(201);
    expect(first.body.email).toBe(`${local.toLowerCase()}@x.io`);
    expect(second.status).toBe(409);
    expect(await Contact.countDocuments({ owner: user.id })).toBe(1);
  });

  test('when PATCH moves a contact onto another contact’s email, answers 409 and changes nothing', async () => {
    const { auth } = await signUp(app);
    const taken = uniqueEmail();
    await request(app)
      .post('/contacts')
      .set(auth)
      .send(aContact({ email: taken }));
    const other = await request(app).post('/contacts').set(auth).send(aContact());

    const response = await request(app).patch(`/contacts/${other.body.id}`).set(auth).send({ email: taken.toUpperCase() });

    expect(response.status).toBe(409);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect((await Contact.findById(other.body.id).lean())?.email).toBe(other.body.email);
  });

  test('another owner may use the same email: 201', async () => {
    const alice = await signUp(app);
    const bob = await signUp(app);
    const email = uniqueEmail();
    await request(app).post('/contacts').set(alice.auth).send(aContact({ email }));

    const response = await request(app).post('/contacts').set(bob.auth).send(aContact({ email }));

    expect(response.status).toBe(201);
    expect(await Contact.countDocuments({ email })).toBe(2);
  });

  test('two contacts without an email are fine for one owner (each gets a key of its own)', async () => {
    const { auth, user } = await signUp(app);
    const { email: _first, ...noEmail } = aContact();
    const { email: _second, ...alsoNoEmail } = aContact();

    const first = await request(app).post('/contacts').set(auth).send(noEmail);
    const second = await request(app).post('/contacts').set(auth).send(alsoNoEmail);

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.email).toBeUndefined();
    expect(await Contact.countDocuments({ owner: user.id, email: { $exists: false } })).toBe(2);
  });

  test('removing emails with PATCH email: null leaves two email-less contacts side by side', async () => {
    const { auth, user } = await signUp(app);
    const one = await request(app).post('/contacts').set(auth).send(aContact());
    const two = await request(app).post('/contacts').set(auth).send(aContact());

    const first = await request(app).patch(`/contacts/${one.body.id}`).set(auth).send({ email: null });
    const second = await request(app).patch(`/contacts/${two.body.id}`).set(auth).send({ email: null });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.email).toBeUndefined();
    expect(await Contact.countDocuments({ owner: user.id, email: { $exists: false } })).toBe(2);
  });

  test('10 concurrent creates with one email: exactly one 201, nine 409, one stored', async () => {
    const { auth, user } = await signUp(app);
    const email = uniqueEmail();

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => request(app).post('/contacts').set(auth).send(aContact({ email }))),
    );
    const statuses = responses.map(({ status }) => status).sort();

    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(await Contact.countDocuments({ owner: user.id, email })).toBe(1);
  });
});
