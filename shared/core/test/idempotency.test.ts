import { describe, expect, test } from '@jest/globals';
import { useTestRedis } from '@hub/testkit';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, AppError } from '../src/index.ts';
import { canonicalJson, idempotent, type IdempotencyOptions } from '../src/idempotency.ts';
import { appWith } from './support.ts';

const testRedis = useTestRedis();
let counter = 0;

/**
 * An app with POST /jobs behind idempotent(): the handler counts its runs, answers 202 with a
 * Location, and waits on `gate` when one is set (a request held in flight). The account is the
 * `x-account` header, so scoping needs no sign-in here.
 */
function jobsApp(options: Partial<IdempotencyOptions> = {}) {
  counter += 1;
  const prefix = `idem-${counter}:`;
  const state = { runs: 0, gate: undefined as Promise<void> | undefined, fail: undefined as AppError | Error | undefined };
  const jobs = new ApiRouter('jobs').post(
    '/',
    { summary: 'create a job', responses: { 202: 'accepted' } },
    idempotent({ redis: testRedis.redis, prefix, ttlSeconds: 3600, scope: (req) => req.get('x-account') ?? 'nobody', ...options }),
    async (req: Request, res: Response) => {
      state.runs += 1;
      const run = state.runs;
      if (state.gate) await state.gate;
      if (state.fail) throw state.fail;
      res
        .status(202)
        .location(`/jobs/${run}`)
        .json({ id: `job-${run}`, to: (req.body as { to?: string }).to });
    },
  );
  const app = appWith([['/jobs', jobs]]);
  const post = (key: string | undefined, body: object = { to: 'ada@example.com' }, account = 'acct-1') => {
    const pending = request(app).post('/jobs').set('x-account', account);
    return key === undefined ? pending.send(body) : pending.set('Idempotency-Key', key).send(body);
  };
  return { app, post, state, prefix };
}

/** The TTL in ms of the one key stored for an account under `prefix` (KEYS is not prefixed by the client). */
async function keyTtl(prefix: string, account = 'acct-1') {
  const keys = await testRedis.redis.keys(`${testRedis.prefix}${prefix}${account}:*`);
  expect(keys).toHaveLength(1);
  return testRedis.redis.pttl((keys[0] ?? '').slice(testRedis.prefix.length));
}

/** A promise and the function that settles it: holds a handler until the test lets it go. */
function gate() {
  let open = () => {};
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

describe('idempotent(): the key', () => {
  test('when the Idempotency-Key header is missing, answers 400 naming it, and the handler never runs', async () => {
    const { post, state } = jobsApp();

    const response = await post(undefined);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ in: 'headers', field: 'idempotency-key', message: 'is required' }]);
    expect(state.runs).toBe(0);
  });

  test.each([['x'.repeat(256)], ['two words'], ['""'], ['"a"b"']])('a malformed key (%s) answers 400 naming the header', async (key) => {
    const { post, state } = jobsApp();

    const response = await post(key);

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('idempotency-key');
    expect(state.runs).toBe(0);
  });

  test('with required: false, a request without the key passes through and runs each time', async () => {
    const { post, state } = jobsApp({ required: false });

    expect((await post(undefined)).status).toBe(202);
    expect((await post(undefined)).status).toBe(202);
    expect(state.runs).toBe(2);
  });

  test('the quoted form of the draft ("…") and the bare token are the same key', async () => {
    const { post, state } = jobsApp();

    await post('"k-quoted"');
    const replay = await post('k-quoted');

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(state.runs).toBe(1);
  });
});

describe('idempotent(): replays', () => {
  test('the same key again answers the stored response (status, body, Location) with Idempotent-Replayed: true, without running the handler', async () => {
    const { post, state } = jobsApp();

    const first = await post('k-1');
    const replay = await post('k-1');

    expect(first.status).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toMatch(/^application\/json/);
    expect(replay.headers.location).toBe('/jobs/1');
    expect(replay.body).toEqual({ id: 'job-1', to: 'ada@example.com' });
    expect(state.runs).toBe(1);
  });

  test('the same body with its fields in another order is the same request (replayed)', async () => {
    const { post, state } = jobsApp();

    await post('k-order', { to: 'ada@example.com', subject: 'hi' });
    const replay = await post('k-order', { subject: 'hi', to: 'ada@example.com' });

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(state.runs).toBe(1);
  });

  test('the same key with a different body answers 422, and the stored response stays', async () => {
    const { post, state } = jobsApp();
    await post('k-2', { to: 'ada@example.com' });

    const misuse = await post('k-2', { to: 'bob@example.com' });
    const replay = await post('k-2', { to: 'ada@example.com' });

    expect(misuse.status).toBe(422);
    expect(misuse.body.type).toBe('urn:backend-hub:problem:idempotency-key-reused');
    expect(replay.body.id).toBe('job-1');
    expect(state.runs).toBe(1);
  });

  test('keys are scoped per account: two accounts with one key each get their own run', async () => {
    const { post, state } = jobsApp();

    const ada = await post('shared-key', { to: 'x@example.com' }, 'acct-ada');
    const bob = await post('shared-key', { to: 'x@example.com' }, 'acct-bob');

    expect(ada.body.id).toBe('job-1');
    expect(bob.body.id).toBe('job-2');
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
    expect(state.runs).toBe(2);
  });

  test('a stored answer expires after ttlSeconds (its Redis key carries the TTL)', async () => {
    const { post, prefix } = jobsApp({ ttlSeconds: 120 });
    await post('k-ttl');

    const ttl = await keyTtl(prefix);
    expect(ttl).toBeGreaterThan(110_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  test('a 4xx answer of the handler is stored and replayed too (the request was decided)', async () => {
    const { post, state } = jobsApp();
    state.fail = new AppError(404, 'not-found', 'No such template.');

    const first = await post('k-404');
    const replay = await post('k-404');

    expect(first.status).toBe(404);
    expect(replay.status).toBe(404);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(state.runs).toBe(1);
  });

  test('a 5xx answer releases the key: the retry runs the handler again', async () => {
    const { post, state } = jobsApp();
    state.fail = new Error('database down');

    const failed = await post('k-500');
    state.fail = undefined;
    const retry = await post('k-500');

    expect(failed.status).toBe(500);
    expect(retry.status).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(state.runs).toBe(2);
  });
});

describe('idempotent(): concurrency', () => {
  test('the same key while the first is in flight answers 409 with Retry-After; once it answered, the key replays', async () => {
    const { post, state, prefix } = jobsApp({ lockSeconds: 30 });
    const held = gate();
    state.gate = held.closed;

    const first = post('k-flight').then((response) => response);
    while (state.runs === 0) await new Promise((resolve) => setImmediate(resolve));
    const during = await post('k-flight');
    const lockTtl = await keyTtl(prefix);
    held.open();
    const answered = await first;
    const after = await post('k-flight');

    expect(during.status).toBe(409);
    expect(during.body.type).toBe('urn:backend-hub:problem:idempotency-key-in-use');
    expect(during.headers['retry-after']).toBe('1');
    expect(lockTtl).toBeGreaterThan(0);
    expect(lockTtl).toBeLessThanOrEqual(30_000);
    expect(answered.status).toBe(202);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(state.runs).toBe(1);
  });

  test('a different body while the first is in flight answers 422, not 409', async () => {
    const { post, state } = jobsApp();
    const held = gate();
    state.gate = held.closed;

    const first = post('k-flight-2', { to: 'ada@example.com' }).then((response) => response);
    while (state.runs === 0) await new Promise((resolve) => setImmediate(resolve));
    const misuse = await post('k-flight-2', { to: 'bob@example.com' });
    held.open();
    await first;

    expect(misuse.status).toBe(422);
  });

  test('50 identical requests at once run the handler exactly once; the others answer 409 or the replay', async () => {
    const { post, state } = jobsApp();

    const responses = await Promise.all(Array.from({ length: 50 }, () => post('k-50')));

    expect(state.runs).toBe(1);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).not.toHaveLength(0);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    const ids = new Set(responses.filter((response) => response.status === 202).map((response) => response.body.id));
    expect([...ids]).toEqual(['job-1']);
  });
});

describe('canonicalJson()', () => {
  test('sorts object keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[2,1]},"b":1}');
  });
});
