import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Job } from '../src/jobs/job.model.ts';
import { aJob, submit, testApp, unusedId } from './support.ts';

const service = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

const ownJobs = () => Job.countDocuments({ owner: alice.user.id });
const queued = async () => (await service.queue.getJobCounts('waiting')).waiting;

describe('POST /jobs with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the title is missing', { steps: 2 }, 'title'],
    ['the title is blank after trimming', { title: '   ' }, 'title'],
    ['the title is over 100 characters', { title: 'x'.repeat(101) }, 'title'],
    ['the title is an operator object', { title: { $gt: '' } }, 'title'],
    ['the steps are 0', { title: 't', steps: 0 }, 'steps'],
    ['the steps are over 20', { title: 't', steps: 21 }, 'steps'],
    ['the steps are a fraction', { title: 't', steps: 1.5 }, 'steps'],
    ['the steps are a numeric string', { title: 't', steps: '2' }, 'steps'],
    ['the type is unknown', { title: 't', type: 'video' }, 'type'],
    ['an unknown field is sent', { title: 't', colour: 'red' }, 'colour'],
    ['an operator key is sent', { title: 't', $set: { owner: 'x' } }, '$set'],
  ])('when %s, answers 400 naming the field, stores nothing and queues nothing', async (_case, body, field) => {
    const [records, jobs] = [await ownJobs(), await queued()];

    const response = await submit(service.app, alice, body);

    expectFieldProblem(response, 'body', field);
    expect([await ownJobs(), await queued()]).toEqual([records, jobs]);
  });

  test('owner, _id and createdAt in the body are accepted and ignored: the caller owns the job, with a fresh id', async () => {
    const foreignId = unusedId();

    const response = await submit(
      service.app,
      alice,
      aJob({ owner: bob.user.id, _id: foreignId, id: foreignId, createdAt: '2000-01-01T00:00:00Z' }),
    );

    expect(response.status).toBe(202);
    expect(response.body.id).not.toBe(foreignId);
    expect(String((await Job.findById(response.body.id).lean())?.owner)).toBe(alice.user.id);
    expect((await service.queue.getJob(response.body.id))?.data.owner).toBe(alice.user.id);
  });
});

describe('a job id that is not an ObjectId', () => {
  const routes = [
    ['get', ''],
    ['get', '/events'],
    ['get', '/result'],
    ['post', '/cancel'],
  ] as const;
  test.each(
    routes.flatMap(([method, suffix]) => ['not-an-id', '0123456789abcdef0123456', '$where'].map((id) => [method, suffix, id] as const)),
  )('%s /jobs/:id%s with %s answers 400 naming params.id, never 500', async (method, suffix, id) => {
    const path = `/jobs/${encodeURIComponent(id)}${suffix}`;
    const response = await request(service.app)[method](path).set(alice.auth);

    expectFieldProblem(response, 'params', 'id');
  });

  test.each(routes)('%s /jobs/:id%s for an unknown job answers 404 problem+json', async (method, suffix) => {
    const response = await request(service.app)[method](`/jobs/${unusedId()}${suffix}`).set(alice.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('GET /jobs with a bad query', () => {
  const queries: Array<[string, Record<string, string>, string]> = [
    ...BAD_PAGE_QUERIES,
    ['limit[$gt]=1', { 'limit[$gt]': '1' }, 'limit[$gt]'],
    ['an unknown parameter', { colour: 'red' }, 'colour'],
  ];

  test.each(queries)('when the query has %s, answers 400 naming the field', async (_case, query, field) => {
    const response = await request(service.app).get('/jobs').set(alice.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});
