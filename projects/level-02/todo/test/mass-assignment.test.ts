import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { Task } from '../src/tasks/task.model.ts';
import { testApp, createTask, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
  other = await signUp(app);
});

const forgedId = () => new mongoose.Types.ObjectId().toHexString();
const longAgo = '2000-01-01T00:00:00.000Z';

describe('server-set fields in a body are never applied', () => {
  test('POST drops owner, _id, createdAt and role: the task is the caller’s, with a fresh id', async () => {
    const id = forgedId();

    const response = await request(app)
      .post('/tasks')
      .set(account.auth)
      .send({ title: 'mine', owner: other.user.id, _id: id, createdAt: longAgo, role: 'admin' });

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(id);
    expect(response.body.createdAt).not.toBe(longAgo);
    const task = await stored(response.body.id);
    expect(task?.owner.toString()).toBe(account.user.id);
    expect(task).not.toHaveProperty('role');
    expect(await Task.countDocuments({ _id: id })).toBe(0);
  });

  test('PATCH drops owner, _id, createdAt and role: ownership and identity stay', async () => {
    const { task } = await createTask(app, account);
    const before = await stored(task.id);

    const response = await request(app)
      .patch(`/tasks/${task.id}`)
      .set(account.auth)
      .send({ title: 'renamed', owner: other.user.id, _id: forgedId(), createdAt: longAgo, role: 'admin' });

    expect(response.status).toBe(200);
    const after = await stored(task.id);
    expect(after?.owner.toString()).toBe(account.user.id);
    expect(after?.createdAt).toEqual(before?.createdAt);
    expect(after?.title).toBe('renamed');
  });

  test('PATCH with only server-set fields has nothing to change: 400, nothing written', async () => {
    const { task } = await createTask(app, account);

    const response = await request(app).patch(`/tasks/${task.id}`).set(account.auth).send({ owner: other.user.id });

    expect(response.status).toBe(400);
    expect(await stored(task.id)).toMatchObject({ version: 1 });
    expect((await stored(task.id))?.owner.toString()).toBe(account.user.id);
  });

  test.each([
    ['version', { version: 99 }],
    ['completedAt', { completedAt: longAgo }],
  ])('%s is refused with 400 naming it (the server owns it), on POST and PATCH, and nothing is written', async (field, forged) => {
    const { task } = await createTask(app, account);
    const countBefore = await Task.countDocuments();

    const created = await request(app)
      .post('/tasks')
      .set(account.auth)
      .send({ title: 'forged', ...forged });
    const patched = await request(app)
      .patch(`/tasks/${task.id}`)
      .set(account.auth)
      .send({ title: 'forged', ...forged });

    for (const response of [created, patched]) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    }
    expect(await Task.countDocuments()).toBe(countBefore);
    expect(await stored(task.id)).toMatchObject({ title: task.title, version: 1 });
    expect((await stored(task.id))?.completedAt).toBeUndefined();
  });
});
