// Exercise 1: POST /jobs/:id/retry runs a failed job again; a cancelled or unfinished one is a 409.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import request from 'supertest';
import { Report } from '../src/jobs/report.model.ts';
import { aJob, settled, submit, testApp } from '../test/support.ts';

const service = testApp();

describe('exercise 1: POST /jobs/:id/retry', () => {
  test('a failed job is queued again (202) and completes; a completed, a cancelled or another account’s job is refused', async () => {
    const [ada, bob] = [await signUp(service.app), await signUp(service.app)];
    const { body: cancelled } = await submit(service.app, ada);
    await request(service.app).post(`/jobs/${cancelled.id}/cancel`).set(ada.auth);
    let calls = 0;
    service.startWorker({
      beforeStep: (job) => {
        if (job.data.title === 'flaky' && (calls += 1) === 1) throw new UnrecoverableError('the printer was offline');
      },
    });
    const { body: job } = await submit(service.app, ada, aJob({ title: 'flaky', steps: 1 }));
    expect(await settled(service.app, ada, job.id)).toMatchObject({ state: 'failed' });

    const strangers = await request(service.app).post(`/jobs/${job.id}/retry`).set(bob.auth);
    const retried = await request(service.app).post(`/jobs/${job.id}/retry`).set(ada.auth);
    const done = await settled(service.app, ada, job.id, ['completed']);
    const again = await request(service.app).post(`/jobs/${job.id}/retry`).set(ada.auth);
    const ofCancelled = await request(service.app).post(`/jobs/${cancelled.id}/retry`).set(ada.auth);

    expect(strangers.status).toBe(404);
    expect(retried.status).toBe(202);
    expect(done.state).toBe('completed');
    expect(await Report.countDocuments({ _id: job.id })).toBe(1);
    expect(again.status).toBe(409);
    expect(ofCancelled.status).toBe(409);
  });
});
