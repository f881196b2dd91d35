// Exercise 2: POST /jobs takes a priority from 1 (most urgent) to 10; a worker takes the most urgent job first.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Report } from '../src/jobs/report.model.ts';
import { aJob, settled, submit, testApp } from '../test/support.ts';

const service = testApp({ env: { WORKER_CONCURRENCY: '1' } });

describe('exercise 2: urgent jobs first', () => {
  test('jobs queued with priorities 5, 5 (the default) and 1 run the urgent one first; a priority out of 1..10 is a 400 naming it', async () => {
    const ada = await signUp(service.app);
    const first = await submit(service.app, ada, aJob({ title: 'normal 1', steps: 1 }));
    const second = await submit(service.app, ada, aJob({ title: 'normal 2', steps: 1, priority: 5 }));
    const urgent = await submit(service.app, ada, aJob({ title: 'urgent', steps: 1, priority: 1 }));
    const zero = await submit(service.app, ada, aJob({ priority: 0 }));
    const tooLow = await submit(service.app, ada, aJob({ priority: 11 }));

    expect([first.status, second.status, urgent.status]).toEqual([202, 202, 202]);
    service.startWorker();
    for (const job of [first, second, urgent]) await settled(service.app, ada, job.body.id, ['completed']);
    const order = (await Report.find({ owner: ada.user.id }).sort({ finishedAt: 1 }).lean()).map((report) => report.title);

    expect(order[0]).toBe('urgent');
    expect(order.slice(1).sort()).toEqual(['normal 1', 'normal 2']);
    for (const refused of [zero, tooLow]) {
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toMatchObject({ in: 'body', field: 'priority' });
    }
    expect((await request(service.app).get(`/jobs/${urgent.body.id}`).set(ada.auth)).body.state).toBe('completed');
  });
});
