import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { bucketOf } from '../src/flags/rollout.ts';
import { accountWith, createFlag, evaluateOne, unique, useInstances } from './support.ts';

useTestDatabase();
const instances = useInstances();
const app = () => instances.first.app;
let admin: TestAccount;

beforeAll(async () => {
  admin = await accountWith(app(), 'admin');
});

const problemJson = /^application\/problem\+json/;

/** A string flag: pro users get "green", user "vip" gets "gold", 50 % of the rest "blue", others "grey". */
const colourFlag = () =>
  createFlag(app(), admin, {
    variants: { grey: 'grey', blue: 'blue', green: 'green', gold: 'gold' },
    offVariant: 'grey',
    environments: {
      development: { enabled: true, fallthrough: 'blue' },
      production: {
        enabled: true,
        targets: [{ variant: 'gold', userIds: ['vip'] }],
        rules: [{ clauses: [{ attribute: 'plan', operator: 'equals', values: ['pro'] }], variant: 'green' }],
        rollout: { variant: 'blue', percentage: 50 },
        fallthrough: 'grey',
      },
    },
  });

describe('POST /ofrep/v1/evaluate/flags/:key', () => {
  test('answers the OFREP success shape, in production unless X-Environment says otherwise; no account needed', async () => {
    const flag = await colourFlag();

    const target = await evaluateOne(app(), flag.key, { targetingKey: 'vip' });
    const rule = await evaluateOne(app(), flag.key, { targetingKey: 'someone', plan: 'pro' });
    const development = await evaluateOne(app(), flag.key, { targetingKey: 'vip' }, 'development');

    expect(target.status).toBe(200);
    expect(target.body).toEqual({
      key: flag.key,
      reason: 'TARGETING_MATCH',
      variant: 'gold',
      value: 'gold',
      metadata: { flagVersion: 1, environment: 'production' },
    });
    expect(rule.body).toMatchObject({ reason: 'TARGETING_MATCH', variant: 'green' });
    expect(development.body).toMatchObject({ reason: 'DEFAULT', variant: 'blue', metadata: { environment: 'development' } });
  });

  test('a rollout is sticky: the same user gets the same variant every time, the one its bucket says', async () => {
    const flag = await colourFlag();
    const users = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6', 'u-7', 'u-8'];

    for (const user of users) {
      const expected = bucketOf(flag.key, String(flag.salt), user) < 5000 ? 'blue' : 'grey';
      const answers = await Promise.all([1, 2, 3].map(() => evaluateOne(app(), flag.key, { targetingKey: user })));
      expect(answers.map(({ body }) => [body.reason, body.variant])).toEqual([1, 2, 3].map(() => ['SPLIT', expected]));
    }
  });

  test('a disabled environment answers DISABLED with offVariant, whatever the context', async () => {
    const flag = await createFlag(app(), admin);

    const response = await evaluateOne(app(), flag.key, 'not even an object');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reason: 'DISABLED', variant: 'off', value: false });
  });

  test('an unknown flag answers 404 with errorCode FLAG_NOT_FOUND, as problem+json', async () => {
    const key = unique('missing');

    const response = await evaluateOne(app(), key, { targetingKey: 'u' });

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(problemJson);
    expect(response.body).toMatchObject({
      status: 404,
      key,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: expect.any(String),
    });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  test.each<[string, string, unknown]>([
    ['a context that is a string', 'INVALID_CONTEXT', 'user-1'],
    ['a context that is an array', 'INVALID_CONTEXT', ['user-1']],
    ['a numeric targetingKey', 'INVALID_CONTEXT', { targetingKey: 12 }],
    ['an attribute of the wrong type for its rule', 'INVALID_CONTEXT', { targetingKey: 'u', plan: { $ne: 'pro' } }],
    ['no targetingKey for a rollout', 'TARGETING_KEY_MISSING', { plan: 'free' }],
  ])('%s answers 400 reason ERROR with errorCode %s (problem+json), never 500', async (_case, errorCode, context) => {
    const flag = await colourFlag();

    const response = await evaluateOne(app(), flag.key, context);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(problemJson);
    expect(response.body).toMatchObject({ key: flag.key, reason: 'ERROR', errorCode, errorDetails: expect.any(String), status: 400 });
  });
});

describe('POST /ofrep/v1/evaluate/flags (bulk)', () => {
  const bulk = (context: unknown, headers: Record<string, string> = {}) =>
    request(app()).post('/ofrep/v1/evaluate/flags').set(headers).send({ context });

  test('evaluates every flag for the context, failures in place with their errorCode, and says where to listen for changes', async () => {
    const flag = await colourFlag();
    const off = await createFlag(app(), admin);

    const response = await bulk({ plan: 'free' });

    expect(response.status).toBe(200);
    const byKey = new Map((response.body.flags as Array<{ key: string }>).map((entry) => [entry.key, entry]));
    expect(byKey.get(flag.key)).toEqual({
      key: flag.key,
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: expect.any(String),
    });
    expect(byKey.get(off.key)).toMatchObject({ reason: 'DISABLED', value: false });
    expect(response.body.refreshConnections).toEqual([{ type: 'sse', url: expect.stringMatching(/\/ofrep\/v1\/events$/) }]);
  });

  test('answers an ETag; the same tag in If-None-Match answers 304 with no body until a flag changes, then 200 with a new tag', async () => {
    const context = { targetingKey: unique('user') };
    const first = await bulk(context);
    const etag = String(first.headers.etag);

    const unchanged = await bulk(context, { 'If-None-Match': etag });
    const weakAndListed = await bulk(context, { 'If-None-Match': `"other", W/${etag}` });
    const otherContext = await bulk({ targetingKey: 'vip' }, { 'If-None-Match': etag });
    await createFlag(app(), admin);
    const changed = await bulk(context, { 'If-None-Match': etag });

    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(weakAndListed.status).toBe(304);
    expect(otherContext.status).toBe(200);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  test('a context that is not an object, or a targetingKey that is not a string, answers 400 INVALID_CONTEXT problem+json', async () => {
    for (const context of ['user-1', 42, { targetingKey: ['a'] }]) {
      const response = await bulk(context);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(problemJson);
      expect(response.body).toMatchObject({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.any(String) });
    }
  });

  test('an unknown X-Environment answers 400 naming the header', async () => {
    const response = await bulk({}, { 'X-Environment': 'staging' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'headers', field: 'x-environment' })]);
  });
});
