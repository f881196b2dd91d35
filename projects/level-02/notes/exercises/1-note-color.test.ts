// Exercise 1: a note has a `color`, one of a fixed palette, "none" by default, without a
// migration: notes written before the field existed read back as "none".
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { Note } from '../src/notes/note.model.ts';
import { aNote, testApp, unique } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

/** The color as stored, read straight from the collection (the model may not know the field yet). */
const storedColor = async (id: string) => (await Note.collection.findOne({ _id: new mongoose.Types.ObjectId(id) }))?.color;

/**
 * A note as the service stored it before `color` existed: inserted straight into the
 * collection, past mongoose and any default its schema may have now.
 */
async function oldNote() {
  const at = new Date();
  const { insertedId } = await Note.collection.insertOne({
    owner: new mongoose.Types.ObjectId(account.user.id),
    title: unique('old'),
    body: 'written last year',
    tags: ['legacy'],
    pinned: false,
    archived: false,
    createdAt: at,
    updatedAt: at,
  });
  return String(insertedId);
}

describe('POST /notes with a color', () => {
  test('stores and answers the color', async () => {
    const response = await request(app)
      .post('/notes')
      .set(account.auth)
      .send(aNote({ color: 'yellow' }));

    expect(response.status).toBe(201);
    expect(response.body.color).toBe('yellow');
    expect(await storedColor(response.body.id)).toBe('yellow');
    expect(response.body).not.toHaveProperty('_id');
  });

  test('without a color, the note is "none"', async () => {
    const response = await request(app).post('/notes').set(account.auth).send(aNote());

    expect(response.status).toBe(201);
    expect(response.body.color).toBe('none');
  });

  test.each([
    ['not in the palette', 'pink'],
    ['empty', ''],
    ['a number', 3],
    ['null', null],
    ['an operator object', { $ne: 'none' }],
  ])('when the color is %s, answers 400 naming color and writes nothing', async (_case, color) => {
    const before = await Note.countDocuments({ owner: account.user.id });

    const response = await request(app).post('/notes').set(account.auth).send(aNote({ color }));

    expectFieldProblem(response, 'body', 'color');
    expect(await Note.countDocuments({ owner: account.user.id })).toBe(before);
  });
});

describe('PATCH /notes/:id with a color', () => {
  test('changes only the color', async () => {
    const created = await request(app)
      .post('/notes')
      .set(account.auth)
      .send(aNote({ title: 'Keep me' }));

    const response = await request(app).patch(`/notes/${created.body.id}`).set(account.auth).send({ color: 'blue' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'Keep me', color: 'blue' });
    expect(await storedColor(created.body.id)).toBe('blue');
  });

  test('a bad color answers 400 naming color and changes nothing', async () => {
    const created = await request(app)
      .post('/notes')
      .set(account.auth)
      .send(aNote({ color: 'green' }));

    const response = await request(app).patch(`/notes/${created.body.id}`).set(account.auth).send({ color: 'chartreuse' });

    expectFieldProblem(response, 'body', 'color');
    expect(await storedColor(created.body.id)).toBe('green');
  });
});

describe('notes written before the field existed (no migration)', () => {
  test('GET /notes/:id answers them with color "none"', async () => {
    const id = await oldNote();

    const response = await request(app).get(`/notes/${id}`).set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, body: 'written last year', color: 'none' });
  });

  test('GET /notes lists them with color "none"', async () => {
    const id = await oldNote();

    const response = await request(app).get('/notes').set(account.auth).query({ tag: 'legacy', limit: 100 });
    const listed = response.body.items.find((note: { id: string }) => note.id === id);

    expect(response.status).toBe(200);
    expect(listed).toMatchObject({ color: 'none' });
  });

  test('PATCH of another field answers color "none"; PATCH of the color sets it', async () => {
    const id = await oldNote();

    const renamed = await request(app).patch(`/notes/${id}`).set(account.auth).send({ title: 'Renamed' });
    const colored = await request(app).patch(`/notes/${id}`).set(account.auth).send({ color: 'red' });

    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ title: 'Renamed', color: 'none' });
    expect(colored.body.color).toBe('red');
    expect(await storedColor(id)).toBe('red');
  });
});
