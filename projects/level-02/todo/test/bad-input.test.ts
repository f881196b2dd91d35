import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Task } from '../src/tasks/task.model.ts';
import { testApp, createTask, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

const taskBodies: Array<[string, Record<string, unknown>, string]> = [
  ['title missing', { notes: 'no title' }, 'title'],
  ['title empty after trimming', { title: '   ' }, 'title'],
  ['title over 200 characters', { title: 'x'.repeat(201) }, 'title'],
  ['title a number', { title: 42 }, 'title'],
  ['title an operator object', { title: { $gt: '' } }, 'title'],
  ['notes over 2,000 characters', { title: 't', notes: 'x'.repeat(2001) }, 'notes'],
  ['status not in the enum', { title: 't', status: 'finished' }, 'status'],
  ['status an operator object', { title: 't', status: { $ne: 'done' } }, 'status'],
  ['priority not in the enum', { title: 't', priority: 'urgent' }, 'priority'],
  ['dueDate not a date', { title: 't', dueDate: 'tomorrow' }, 'dueDate'],
  ['dueDate with month 13', { title: 't', dueDate: '2026-13-01T00:00:00Z' }, 'dueDate'],
  ['dueDate without a time', { title: 't', dueDate: '2026-05-01' }, 'dueDate'],
  ['dueDate a number', { title: 't', dueDate: 1767225600000 }, 'dueDate'],
  ['an unknown field', { title: 't', colour: 'red' }, 'colour'],
];

describe('POST /tasks refuses bad bodies', () => {
  test.each(taskBodies)('when %s, answers 400 naming the field and creates nothing', async (_case, body, field) => {
    const before = await Task.countDocuments();

    const response = await request(app).post('/tasks').set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await Task.countDocuments()).toBe(before);
  });

  test('when the body is a JSON array, answers 400 and creates nothing', async () => {
    const before = await Task.countDocuments();

    const response = await request(app)
      .post('/tasks')
      .set(account.auth)
      .send([{ title: 't' }]);

    expect(response.status).toBe(400);
    expect(await Task.countDocuments()).toBe(before);
  });
});

describe('PATCH /tasks/:id refuses bad bodies', () => {
  test.each([
    ...taskBodies.filter(([name]) => name !== 'title missing'),
    ['the body empty', {}, '(root)'] as [string, Record<string, unknown>, string],
  ])('when %s, answers 400 naming the field and changes nothing', async (_case, body, field) => {
    const { task } = await createTask(app, account);
    const before = await stored(task.id);

    const response = await request(app).patch(`/tasks/${task.id}`).set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await stored(task.id)).toEqual(before);
  });
});

describe('an invalid :id answers 400 naming it, on every route', () => {
  test.each([
    ['GET', () => request(app).get('/tasks/not-an-id').set(account.auth)],
    ['PATCH', () => request(app).patch('/tasks/123').set(account.auth).send({ title: 't' })],
    [
      'DELETE',
      () =>
        request(app)
          .delete(`/tasks/${'z'.repeat(24)}`)
          .set(account.auth),
    ],
    ['GET with an operator', () => request(app).get('/tasks/%7B%22%24gt%22%3A%22%22%7D').set(account.auth)],
  ])('%s', async (_case, act) => {
    const response = await act();

    expectFieldProblem(response, 'params', 'id');
  });
});

describe('POST /tasks/bulk-complete refuses bad bodies', () => {
  test.each([
    ['ids missing', {}, 'ids'],
    ['ids empty', { ids: [] }, 'ids'],
    ['over 100 ids', { ids: Array.from({ length: 101 }, (_, index) => index.toString(16).padStart(24, '0')) }, 'ids'],
    ['an invalid id', { ids: ['nope'] }, 'ids.0'],
    ['ids an operator object', { ids: { $ne: null } }, 'ids'],
    ['an unknown field', { ids: ['0'.repeat(24)], all: true }, 'all'],
  ])('when %s, answers 400 naming the field', async (_case, body, field) => {
    const { task } = await createTask(app, account);

    const response = await request(app).post('/tasks/bulk-complete').set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await stored(task.id)).toMatchObject({ status: 'todo', version: 1 });
  });
});

describe('GET /tasks refuses bad query parameters', () => {
  test.each([
    ...BAD_PAGE_QUERIES,
    ['status not in the enum', { status: 'finished' }, 'status'],
    ['status[$ne]=done', { 'status[$ne]': 'done' }, 'status[$ne]'],
    ['overdue=yes', { overdue: 'yes' }, 'overdue'],
    ['dueFrom not a date', { dueFrom: 'yesterday' }, 'dueFrom'],
    ['dueTo before dueFrom', { dueFrom: '2026-05-02T00:00:00Z', dueTo: '2026-05-01T00:00:00Z' }, 'dueTo'],
    ['an unknown sort', { sort: 'title' }, 'sort'],
    ['a bad cursor', { cursor: 'not-a-cursor' }, 'cursor'],
    ['an unknown parameter', { owner: 'someone' }, 'owner'],
  ])('when %s, answers 400 naming the parameter', async (_case, query, field) => {
    const response = await request(app).get('/tasks').set(account.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});
