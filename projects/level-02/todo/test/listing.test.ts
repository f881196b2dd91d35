import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { testApp, createTask } from './support.ts';

useTestDatabase();
const app = testApp();

const titlesOf = (response: request.Response) => (response.body.items as Array<{ title: string }>).map((item) => item.title);
const list = (account: TestAccount, query: Record<string, string> = {}) => request(app).get('/tasks').set(account.auth).query(query);
const HOUR = 3_600_000;

describe('GET /tasks filters', () => {
  test('status=doing lists only the doing tasks', async () => {
    const account = await signUp(app);
    await createTask(app, account, { title: 'a', status: 'todo' });
    await createTask(app, account, { title: 'b', status: 'doing' });
    await createTask(app, account, { title: 'c', status: 'done' });

    const response = await list(account, { status: 'doing' });

    expect(response.status).toBe(200);
    expect(titlesOf(response)).toEqual(['b']);
    expect(response.body.total).toBe(1);
  });

  test('overdue=true: due before now and not done; overdue=false: everything else', async () => {
    const account = await signUp(app);
    const past = new Date(Date.now() - HOUR).toISOString();
    const future = new Date(Date.now() + HOUR).toISOString();
    await createTask(app, account, { title: 'late todo', dueDate: past });
    await createTask(app, account, { title: 'late doing', dueDate: past, status: 'doing' });
    await createTask(app, account, { title: 'late but done', dueDate: past, status: 'done' });
    await createTask(app, account, { title: 'due later', dueDate: future });
    await createTask(app, account, { title: 'no due date' });

    const overdue = await list(account, { overdue: 'true', sort: 'createdAt' });
    const notOverdue = await list(account, { overdue: 'false', sort: 'createdAt' });

    expect(titlesOf(overdue)).toEqual(['late todo', 'late doing']);
    expect(titlesOf(notOverdue)).toEqual(['late but done', 'due later', 'no due date']);
  });

  test('dueFrom is inclusive and dueTo exclusive, to the millisecond', async () => {
    const account = await signUp(app);
    const from = '2026-05-01T00:00:00.000Z';
    const to = '2026-05-08T00:00:00.000Z';
    await createTask(app, account, { title: 'just before from', dueDate: '2026-04-30T23:59:59.999Z' });
    await createTask(app, account, { title: 'exactly from', dueDate: from });
    await createTask(app, account, { title: 'just before to', dueDate: '2026-05-07T23:59:59.999Z' });
    await createTask(app, account, { title: 'exactly to', dueDate: to });
    await createTask(app, account, { title: 'no due date' });

    const range = await list(account, { dueFrom: from, dueTo: to, sort: 'createdAt' });
    const fromOnly = await list(account, { dueFrom: from, sort: 'createdAt' });
    const toOnly = await list(account, { dueTo: to, sort: 'createdAt' });

    expect(titlesOf(range)).toEqual(['exactly from', 'just before to']);
    expect(titlesOf(fromOnly)).toEqual(['exactly from', 'just before to', 'exactly to']);
    expect(titlesOf(toOnly)).toEqual(['just before from', 'exactly from', 'just before to']);
  });

  test('a date with an offset means the same instant in UTC', async () => {
    const account = await signUp(app);
    await createTask(app, account, { title: 'at nine in Paris', dueDate: '2026-05-01T07:00:00Z' });

    const included = await list(account, { dueFrom: '2026-05-01T09:00:00+02:00' });
    const excluded = await list(account, { dueTo: '2026-05-01T09:00:00+02:00' });

    expect(titlesOf(included)).toEqual(['at nine in Paris']);
    expect(titlesOf(excluded)).toEqual([]);
  });

  test('filters combine: status and due range', async () => {
    const account = await signUp(app);
    await createTask(app, account, { title: 'in range doing', dueDate: '2026-05-02T00:00:00Z', status: 'doing' });
    await createTask(app, account, { title: 'in range todo', dueDate: '2026-05-02T00:00:00Z' });

    const response = await list(account, { status: 'doing', dueFrom: '2026-05-01T00:00:00Z', dueTo: '2026-05-03T00:00:00Z' });

    expect(titlesOf(response)).toEqual(['in range doing']);
  });
});

describe('GET /tasks order and pages', () => {
  test('newest first by default; -priority puts high first, then newest', async () => {
    const account = await signUp(app);
    for (const [title, priority] of [
      ['low 1', 'low'],
      ['high 1', 'high'],
      ['normal 1', 'normal'],
      ['high 2', 'high'],
    ]) {
      await createTask(app, account, { title, priority });
    }

    const newest = await list(account);
    const byPriority = await list(account, { sort: '-priority' });
    const lowFirst = await list(account, { sort: 'priority' });

    expect(titlesOf(newest)).toEqual(['high 2', 'normal 1', 'high 1', 'low 1']);
    expect(titlesOf(byPriority)).toEqual(['high 2', 'high 1', 'normal 1', 'low 1']);
    expect(titlesOf(lowFirst)).toEqual(['low 1', 'normal 1', 'high 1', 'high 2']);
  });

  test('pages by number and by cursor walk the same tasks exactly once', async () => {
    const account = await signUp(app);
    for (let index = 1; index <= 5; index += 1) await createTask(app, account, { title: `t${index}` });

    const page2 = await list(account, { limit: '2', page: '2' });
    const first = await list(account, { limit: '2' });
    const second = await list(account, { limit: '2', cursor: String(first.body.nextCursor) });
    const third = await list(account, { limit: '2', cursor: String(second.body.nextCursor) });

    expect(page2.body).toMatchObject({ total: 5, limit: 2, page: 2, pages: 3 });
    expect(titlesOf(page2)).toEqual(['t3', 't2']);
    expect([...titlesOf(first), ...titlesOf(second), ...titlesOf(third)]).toEqual(['t5', 't4', 't3', 't2', 't1']);
    expect(third.body.nextCursor).toBeNull();
  });
});
