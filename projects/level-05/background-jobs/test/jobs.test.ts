import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Job } from '../src/jobs/job.model.ts';
import { Report } from '../src/jobs/report.model.ts';
import { aJob, eventually, settled, submit, testApp, unusedId } from './support.ts';

const service = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

/** The job once a worker reported some progress on it (it is active). */
const running = (id: string) =>
  eventually(async () => {
    const job = await service.queue.getJob(id);
    return job && (await job.getState()) === 'active' && Number(job.progress) > 0 ? job : undefined;
  }, 'running');

describe('before any worker runs', () => {
  test('POST /jobs answers 202 with the job and its Location, stores it under the caller and queues it under the same id', async () => {
    const response = await submit(service.app, alice, { title: '  Monthly sales ', steps: 4 });

    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/jobs/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      type: 'report',
      title: 'Monthly sales',
      steps: 4,
      state: 'waiting',
      attemptsMade: 0,
      progress: 0,
      failedReason: null,
      createdAt: expect.any(String),
    });
    const record = await Job.findById(response.body.id).lean();
    expect(String(record?.owner)).toBe(alice.user.id);
    const queued = await service.queue.getJob(response.body.id);
    expect(queued?.data).toEqual({ owner: alice.user.id, title: 'Monthly sales', steps: 4 });
  });

  test('cancelling a waiting job fails it at once with reason "cancelled": it leaves the queue and is never run', async () => {
    const { body: job } = await submit(service.app, alice);

    const response = await request(service.app).post(`/jobs/${job.id}/cancel`).set(alice.auth);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: job.id, state: 'failed', failedReason: 'cancelled', attemptsMade: 0 });
    expect(await service.queue.getJob(job.id)).toBeUndefined();
    expect((await request(service.app).get(`/jobs/${job.id}`).set(alice.auth)).body.state).toBe('failed');
    expect((await request(service.app).post(`/jobs/${job.id}/cancel`).set(alice.auth)).status).toBe(409);
  });

  test('GET /jobs/:id/result answers 409 problem while the job has not run', async () => {
    const { body: job } = await submit(service.app, alice);

    const response = await request(service.app).get(`/jobs/${job.id}/result`).set(alice.auth);

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.detail).toMatch(/is waiting/);
    expect(response.headers['retry-after']).toBe('1');
  });
});

describe('with a worker running', () => {
  beforeAll(() => {
    service.startWorker();
  });

  test('a job runs its steps and completes: 100% progress, one attempt, and its report is the result', async () => {
    const { body: job } = await submit(service.app, alice, aJob({ title: 'Q3', steps: 3 }));

    const done = await settled(service.app, alice, job.id);
    const result = await request(service.app).get(`/jobs/${job.id}/result`).set(alice.auth);

    expect(done).toMatchObject({ state: 'completed', progress: 100, attemptsMade: 1, failedReason: null });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      id: job.id,
      title: 'Q3',
      lines: ['Q3: section 1 of 3', 'Q3: section 2 of 3', 'Q3: section 3 of 3'],
      finishedAt: expect.any(String),
    });
    expect(await Report.countDocuments({ _id: job.id })).toBe(1);
  });

  test('GET /jobs/:id/events streams the progress as server-sent events and ends when the job completes', async () => {
    const { body: job } = await submit(service.app, alice, aJob({ steps: 4 }));

    const response = await request(service.app)
      .get(`/jobs/${job.id}/events`)
      .set(alice.auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });

    const events = String(response.body)
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n');
        return { event: event?.replace('event: ', ''), ...(JSON.parse(data?.replace('data: ', '') ?? '{}') as { progress: number }) };
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/event-stream/);
    expect(events.at(-1)).toMatchObject({ event: 'completed', state: 'completed', progress: 100 });
    expect(events.slice(0, -1).every(({ event }) => event === 'progress')).toBe(true);
    const progress = events.map((event) => event.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBeGreaterThan(1);
  });

  test('GET /jobs/:id/result answers 409 while the job runs', async () => {
    const { body: job } = await submit(service.app, alice, aJob({ steps: 20 }));
    await running(job.id);

    const response = await request(service.app).get(`/jobs/${job.id}/result`).set(alice.auth);

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/is active/);
    await settled(service.app, alice, job.id);
  });

  test('cancelling a running job stops it at its next step: failed "cancelled", one attempt, no retry and no report', async () => {
    const { body: job } = await submit(service.app, alice, aJob({ steps: 20 }));
    await running(job.id);

    const response = await request(service.app).post(`/jobs/${job.id}/cancel`).set(alice.auth);
    const done = await settled(service.app, alice, job.id);

    expect(response.status).toBe(202);
    expect(done).toMatchObject({ state: 'failed', failedReason: 'cancelled', attemptsMade: 1 });
    expect(done.progress).toBeLessThan(100);
    expect(await Report.countDocuments({ _id: job.id })).toBe(0);
    const result = await request(service.app).get(`/jobs/${job.id}/result`).set(alice.auth);
    expect(result.status).toBe(409);
    expect(result.body.detail).toMatch(/is failed \(cancelled\): it has no result/);
    expect(result.headers['retry-after']).toBeUndefined();
  });

  test('cancelling a completed job answers 409 and changes nothing', async () => {
    const { body: job } = await submit(service.app, alice, aJob({ steps: 1 }));
    await settled(service.app, alice, job.id);

    const response = await request(service.app).post(`/jobs/${job.id}/cancel`).set(alice.auth);

    expect(response.status).toBe(409);
    expect((await request(service.app).get(`/jobs/${job.id}`).set(alice.auth)).body.state).toBe('completed');
    expect((await Job.findById(job.id).lean())?.cancelledAt).toBeNull();
  });
});

describe('ownership', () => {
  test.each(['', '/events', '/result'])("another user's job answers 404 on GET /jobs/:id%s, exactly like a missing one", async (suffix) => {
    const { body: job } = await submit(service.app, alice);
    const missing = await request(service.app).get(`/jobs/${unusedId()}${suffix}`).set(bob.auth);

    const response = await request(service.app).get(`/jobs/${job.id}${suffix}`).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.body.title).toBe(missing.body.title);
    expect(response.body.type).toBe(missing.body.type);
  });

  test("another user's job cannot be cancelled: 404, and the job is not marked", async () => {
    const { body: job } = await submit(service.app, alice);

    const response = await request(service.app).post(`/jobs/${job.id}/cancel`).set(bob.auth);

    expect(response.status).toBe(404);
    expect((await Job.findById(job.id).lean())?.cancelledAt).toBeNull();
  });

  test("GET /jobs lists only the caller's jobs, newest first, by page and by cursor; an admin sees everyone's", async () => {
    const [carol, dave] = await Promise.all([signUp(service.app), signUp(service.app)]);
    const titles: string[] = [];
    for (let n = 0; n < 3; n += 1) titles.unshift((await submit(service.app, carol, aJob({ title: `carol ${n}` }))).body.title);
    const { body: daves } = await submit(service.app, dave, aJob({ title: 'dave own' }));
    const names = (response: request.Response) => (response.body.items as Array<{ title: string }>).map((job) => job.title);

    const first = await request(service.app).get('/jobs').set(carol.auth).query({ limit: 2 });
    const next = await request(service.app).get('/jobs').set(carol.auth).query({ limit: 2, cursor: first.body.nextCursor });
    const second = await request(service.app).get('/jobs').set(carol.auth).query({ limit: 2, page: 2 });
    const admin = await request(service.app).get('/jobs').set(service.adminAuth()).query({ limit: 100 });
    const adminOne = await request(service.app).get(`/jobs/${daves.id}`).set(service.adminAuth());

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, limit: 2, page: 1, pages: 2, nextCursor: expect.any(String) });
    expect(names(first)).toEqual(titles.slice(0, 2));
    expect(names(next)).toEqual(titles.slice(2));
    expect(names(second)).toEqual(titles.slice(2));
    expect(first.body.items[0]).toMatchObject({ state: expect.any(String), progress: expect.any(Number) });
    expect(names(admin)).toEqual(expect.arrayContaining([...titles, 'dave own']));
    expect(adminOne.status).toBe(200);
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /jobs', () => request(service.app).post('/jobs').send(aJob())],
    ['GET /jobs', () => request(service.app).get('/jobs')],
    ['GET /jobs/:id', () => request(service.app).get(`/jobs/${unusedId()}`)],
    ['GET /jobs/:id/events', () => request(service.app).get(`/jobs/${unusedId()}/events`)],
    ['GET /jobs/:id/result', () => request(service.app).get(`/jobs/${unusedId()}/result`)],
    ['POST /jobs/:id/cancel', () => request(service.app).post(`/jobs/${unusedId()}/cancel`)],
  ])('%s answers 401 problem+json and queues nothing', async (_route, send) => {
    const before = await Job.countDocuments();

    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await Job.countDocuments()).toBe(before);
  });
});
