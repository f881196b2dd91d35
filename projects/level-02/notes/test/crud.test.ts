import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Note } from '../src/notes/note.model.ts';
import { aNote, testApp, stored } from './support.ts';

useTestDatabase();
const app = testApp();

describe('POST /notes', () => {
  test('when the body is valid, answers 201 with the note and its Location, and stores it under the caller', async () => {
    const account = await signUp(app);

    const response = await request(app)
      .post('/notes')
      .set(account.auth)
      .send({ title: '  Groceries  ', body: 'milk', tags: [' Home ', 'home', 'SHOP'], pinned: true });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/notes/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: 'Groceries',
      body: 'milk',
      tags: ['home', 'shop'],
      pinned: true,
      archived: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.body).not.toHaveProperty('_id');
    expect(response.body).not.toHaveProperty('__v');
    expect(response.body).not.toHaveProperty('owner');
    const note = await stored(response.body.id);
    expect(String(note?.owner)).toBe(account.user.id);
    expect(note?.tags).toEqual(['home', 'shop']);
  });

  test('when only a title is sent, fills in the defaults', async () => {
    const account = await signUp(app);

    const response = await request(app).post('/notes').set(account.auth).send({ title: 'Bare' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ title: 'Bare', body: '', tags: [], pinned: false, archived: false });
  });

  test('when there is no token, answers 401 and writes nothing', async () => {
    const before = await Note.countDocuments();

    const response = await request(app).post('/notes').send(aNote());

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await Note.countDocuments()).toBe(before);
  });
});

describe('GET /notes/:id', () => {
  test('answers the note', async () => {
    const account = await signUp(app);
    const created = await request(app)
      .post('/notes')
      .set(account.auth)
      .send(aNote({ title: 'Read me' }));

    const response = await request(app).get(`/notes/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
  });

  test('when no note has that id, answers 404 problem+json', async () => {
    const account = await signUp(app);

    const response = await request(app).get('/notes/0123456789abcdef01234567').set(account.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /notes/:id', () => {
  test('changes only the fields sent and moves updatedAt forward', async () => {
    const account = await signUp(app);
    const created = await request(app)
      .post('/notes')
      .set(account.auth)
      .send(aNote({ title: 'Before', body: 'keep me', tags: ['a'] }));

    const response = await request(app)
      .patch(`/notes/${created.body.id}`)
      .set(account.auth)
      .send({ title: 'After', tags: ['B', 'b'], archived: true });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: created.body.id,
      title: 'After',
      body: 'keep me',
      tags: ['b'],
      pinned: false,
      archived: true,
      createdAt: created.body.createdAt,
    });
    expect(new Date(response.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.body.updatedAt).getTime());
    expect(await stored(created.body.id)).toMatchObject({ title: 'After', body: 'keep me', tags: ['b'], archived: true });
  });

  test('when no note has that id, answers 404 and creates nothing', async () => {
    const account = await signUp(app);
    const id = '0123456789abcdef01234568';

    const response = await request(app).patch(`/notes/${id}`).set(account.auth).send({ title: 'ghost' });

    expect(response.status).toBe(404);
    expect(await Note.countDocuments({ _id: id })).toBe(0);
  });
});

describe('DELETE /notes/:id', () => {
  test('answers 204 with no body; the note is gone, and a second delete is 404', async () => {
    const account = await signUp(app);
    const created = await request(app).post('/notes').set(account.auth).send(aNote());

    const response = await request(app).delete(`/notes/${created.body.id}`).set(account.auth);
    const again = await request(app).delete(`/notes/${created.body.id}`).set(account.auth);
    const read = await request(app).get(`/notes/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await stored(created.body.id)).toBeNull();
    expect(again.status).toBe(404);
    expect(read.status).toBe(404);
  });
});
