import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { User } from '@hub/core';
import { aNote, testApp, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;
const foreignId = '0123456789abcdef01234567';
const longAgo = '2000-01-01T00:00:00.000Z';

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

describe('server-set fields in a body are ignored', () => {
  test('POST /notes keeps the real owner, a fresh _id and the real createdAt', async () => {
    const response = await request(app)
      .post('/notes')
      .set(alice.auth)
      .send(aNote({ title: 'Mine', owner: bob.user.id, _id: foreignId, id: foreignId, createdAt: longAgo, role: 'admin' }));

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(foreignId);
    expect(response.body.createdAt).not.toBe(longAgo);
    const note = await stored(response.body.id);
    expect(String(note?.owner)).toBe(alice.user.id);
    expect(note?.createdAt.toISOString()).not.toBe(longAgo);
    expect(note).not.toHaveProperty('role');
    expect((await request(app).get(`/notes/${response.body.id}`).set(bob.auth)).status).toBe(404);
  });

  test('PATCH /notes/:id applies the real fields and ignores owner, _id, createdAt and role', async () => {
    const created = await request(app)
      .post('/notes')
      .set(alice.auth)
      .send(aNote({ title: 'Before' }));
    const before = await stored(created.body.id);

    const response = await request(app)
      .patch(`/notes/${created.body.id}`)
      .set(alice.auth)
      .send({ title: 'After', owner: bob.user.id, _id: foreignId, createdAt: longAgo, role: 'admin' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: created.body.id, title: 'After', createdAt: created.body.createdAt });
    const note = await stored(created.body.id);
    expect(String(note?.owner)).toBe(alice.user.id);
    expect(note?.createdAt).toEqual(before?.createdAt);
    expect(note).not.toHaveProperty('role');
    expect(await stored(foreignId)).toBeNull();
    expect((await User.findById(alice.user.id).lean())?.role).toBe('user');
  });

  test('a PATCH carrying only server-set fields changes nothing: 400', async () => {
    const created = await request(app)
      .post('/notes')
      .set(alice.auth)
      .send(aNote({ title: 'Untouched' }));
    const before = await stored(created.body.id);

    const response = await request(app).patch(`/notes/${created.body.id}`).set(alice.auth).send({ owner: bob.user.id, role: 'admin' });

    expect(response.status).toBe(400);
    expect(await stored(created.body.id)).toEqual(before);
  });
});
