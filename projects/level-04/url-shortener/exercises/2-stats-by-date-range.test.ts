// Exercise 2: stats for a range of days, GET /links/:id/stats?from=YYYY-MM-DD&to=YYYY-MM-DD.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { createLink, testClock, testService, visit } from '../test/support.ts';

useTestDatabase();
const redis = useTestRedis();
const clock = testClock(Date.parse('2026-05-01T12:00:00Z'));
let service: ReturnType<typeof testService>;
let alice: TestAccount;
let link: { id: string; code: string };

beforeAll(async () => {
  service = testService(redis, { now: clock.now });
  alice = await signUp(service.app);
  link = await createLink(service.app, alice.auth);
  // One click on 1 May, two on 2 May, three on 3 May.
  for (const clicks of [1, 2, 3]) {
    for (let n = 0; n < clicks; n += 1) await visit(service.app, link.code);
    clock.advance(86_400);
  }
  await service.clicks.flush();
});

const stats = (query: Record<string, string>) => request(service.app).get(`/links/${link.id}/stats`).set(alice.auth).query(query);

describe('GET /links/:id/stats?from&to', () => {
  test('counts only the days from `from` to `to`, both included', async () => {
    const response = await stats({ from: '2026-05-02', to: '2026-05-03' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 5, humans: 5, bots: 0 });
    expect(response.body.byDay).toEqual([
      { day: '2026-05-02', clicks: 2 },
      { day: '2026-05-03', clicks: 3 },
    ]);
  });

  test('either bound may be left out', async () => {
    const until = await stats({ to: '2026-05-01' });
    const since = await stats({ from: '2026-05-03' });
    const all = await stats({});

    expect(until.body.total).toBe(1);
    expect(since.body.total).toBe(3);
    expect(all.body.total).toBe(6);
  });

  test.each([
    ['from is not a date', { from: 'yesterday' }, 'from'],
    ['to is not a real day', { to: '2026-02-30' }, 'to'],
    ['from is after to', { from: '2026-05-03', to: '2026-05-01' }, 'from'],
    ['an unknown parameter is sent', { days: '7' }, 'days'],
  ])('when %s, answers 400 naming the field', async (_case, query, field) => {
    expectFieldProblem(await stats(query), 'query', field);
  });
});
