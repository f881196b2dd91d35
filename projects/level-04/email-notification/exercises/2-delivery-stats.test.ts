// Exercise 2: GET /deliveries/stats counts the caller's deliveries by status, in one aggregation.
import { expectFieldProblem, signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { testApp } from '../test/support.ts';

const service = testApp();

/** Deliveries stored directly: `statuses` for `owner`, created at `at`. */
async function stored(owner: string, statuses: string[], at = new Date()) {
  await Delivery.insertMany(
    statuses.map((status, n) => ({
      owner,
      template: 'welcome',
      to: `s${n}@example.com`,
      subject: 'Welcome',
      status,
      createdAt: at,
      updatedAt: at,
    })),
    { timestamps: false },
  );
}

describe('exercise 2: GET /deliveries/stats', () => {
  test("counts the caller's deliveries by status, every status present, others' not counted", async () => {
    const [ada, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
    await stored(ada.user.id, ['sent', 'sent', 'sent', 'failed', 'suppressed']);
    await stored(bob.user.id, ['sent', 'failed', 'failed', 'queued']);

    const response = await request(service.app).get('/deliveries/stats').set(ada.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ total: 5, queued: 0, sent: 3, failed: 1, suppressed: 1 });
  });

  test('an account with no deliveries gets zeros', async () => {
    const account = await signUp(service.app);

    const response = await request(service.app).get('/deliveries/stats').set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ total: 0, queued: 0, sent: 0, failed: 0, suppressed: 0 });
  });

  test('with since, counts only the deliveries created at or after it', async () => {
    const account = await signUp(service.app);
    await stored(account.user.id, ['sent', 'failed'], new Date('2030-01-01T00:00:00Z'));
    await stored(account.user.id, ['sent'], new Date('2030-02-01T00:00:00Z'));

    const response = await request(service.app).get('/deliveries/stats').set(account.auth).query({ since: '2030-02-01T00:00:00Z' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ total: 1, queued: 0, sent: 1, failed: 0, suppressed: 0 });
  });

  test('a since that is not a date-time, and an unknown parameter, answer 400 naming them', async () => {
    const account = await signUp(service.app);

    const badSince = await request(service.app).get('/deliveries/stats').set(account.auth).query({ since: 'yesterday' });
    const unknown = await request(service.app).get('/deliveries/stats').set(account.auth).query({ status: 'sent' });

    expectFieldProblem(badSince, 'query', 'since');
    expectFieldProblem(unknown, 'query', 'status');
  });

  test('needs a token: 401 without one', async () => {
    const response = await request(service.app).get('/deliveries/stats');

    expect(response.status).toBe(401);
  });
});
