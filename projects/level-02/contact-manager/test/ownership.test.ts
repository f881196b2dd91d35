import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp } from './support.ts';

useTestDatabase();
const app = testApp();

async function twoUsers() {
  const alice = await signUp(app);
  const bob = await signUp(app);
  const created = await request(app)
    .post('/contacts')
    .set(alice.auth)
    .send(aContact({ name: 'Alice Secret' }));
  const before = await Contact.findById(created.body.id).lean();
  return { alice, bob, id: created.body.id as string, before };
}

describe('another user’s contact is not found, and never changes', () => {
  test.each([
    ['GET', (id: string) => request(app).get(`/contacts/${id}`)],
    ['PATCH', (id: string) => request(app).patch(`/contacts/${id}`).send({ name: 'Taken over', notes: 'mine now' })],
    ['DELETE', (id: string) => request(app).delete(`/contacts/${id}`)],
  ])('when B sends %s for A’s contact, answers 404 (not 403) and A’s contact is unchanged', async (_method, send) => {
    const { bob, id, before } = await twoUsers();

    const response = await send(id).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await Contact.findById(id).lean()).toEqual(before);
  });

  test('B’s list never includes A’s contacts, even when searching for them', async () => {
    const { bob } = await twoUsers();
    await request(app)
      .post('/contacts')
      .set(bob.auth)
      .send(aContact({ name: 'Bob Own' }));

    const all = await request(app).get('/contacts').set(bob.auth).query({ limit: 100 });
    const searched = await request(app).get('/contacts').set(bob.auth).query({ q: 'Alice' });

    expect(all.body.items.map((item: { name: string }) => item.name)).toEqual(['Bob Own']);
    expect(all.body.total).toBe(1);
    expect(searched.body.items).toEqual([]);
  });

  test('B’s export never includes A’s contacts', async () => {
    const { bob } = await twoUsers();
    await request(app)
      .post('/contacts')
      .set(bob.auth)
      .send(aContact({ name: 'Bob Own' }));

    const response = await request(app).get('/contacts/export.csv').set(bob.auth);

    expect(response.status).toBe(200);
    expect(response.text).toContain('Bob Own');
    expect(response.text).not.toContain('Alice Secret');
  });
});
