import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Flag } from '../src/flags/flag.model.ts';
import { accountWith, aFlag, createFlag, useInstances } from './support.ts';

useTestDatabase();
const instances = useInstances();
const app = () => instances.first.app;
let admin: TestAccount;

beforeAll(async () => {
  admin = await accountWith(app(), 'admin');
});

const production = (config: Record<string, unknown>) => ({ environments: { production: { enabled: true, ...config } } });
const rule = (clause: Record<string, unknown>, variant = 'on') => production({ rules: [{ clauses: [clause], variant }] });

describe('POST /flags with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the key is missing', { key: undefined }, 'key'],
    ['the key has capitals', { key: 'NewCheckout' }, 'key'],
    ['the key is 65 characters', { key: 'k'.repeat(65) }, 'key'],
    ['the key is an operator object', { key: { $gt: '' } }, 'key'],
    ['there are no variants', { variants: {} }, 'variants'],
    ['the variants mix types', { variants: { on: true, off: 'no' } }, 'variants'],
    ['a variant name has a dot', { variants: { 'a.b': true, off: false } }, 'variants.a.b'],
    ['a variant value is an object', { variants: { on: { nested: 1 }, off: false } }, 'variants.on'],
    ['offVariant names no variant', { offVariant: 'nope' }, 'offVariant'],
    ['an environment is unknown', { environments: { staging: { enabled: true } } }, 'environments.staging'],
    ['enabled is a string', production({ enabled: 'yes' }), 'environments.production.enabled'],
    ['the fallthrough names no variant', production({ fallthrough: 'maybe' }), 'environments.production.fallthrough'],
    [
      'a rule names no variant',
      rule({ attribute: 'plan', operator: 'equals', values: ['pro'] }, 'gold'),
      'environments.production.rules.0.variant',
    ],
    [
      'an operator is unknown',
      rule({ attribute: 'plan', operator: 'matches', values: ['.*'] }),
      'environments.production.rules.0.clauses.0.operator',
    ],
    [
      'gt compares with a string',
      rule({ attribute: 'age', operator: 'gt', values: ['18'] }),
      'environments.production.rules.0.clauses.0.values',
    ],
    [
      'semver_gt compares with 1.0',
      rule({ attribute: 'v', operator: 'semver_gt', values: ['1.0'] }),
      'environments.production.rules.0.clauses.0.values',
    ],
    [
      'equals has two values',
      rule({ attribute: 'plan', operator: 'equals', values: ['a', 'b'] }),
      'environments.production.rules.0.clauses.0.values',
    ],
    ['a clause has no attribute', rule({ operator: 'equals', values: ['a'] }), 'environments.production.rules.0.clauses.0.attribute'],
    ['a rule has no clauses', production({ rules: [{ clauses: [], variant: 'on' }] }), 'environments.production.rules.0.clauses'],
    ['the rollout is 101 %', production({ rollout: { variant: 'on', percentage: 101 } }), 'environments.production.rollout.percentage'],
    [
      'the rollout has three decimals',
      production({ rollout: { variant: 'on', percentage: 12.345 } }),
      'environments.production.rollout.percentage',
    ],
    ['a target lists no user', production({ targets: [{ variant: 'on', userIds: [] }] }), 'environments.production.targets.0.userIds'],
    ['version is sent on a create', { version: 3 }, 'version'],
    ['an unknown field is sent', { colour: 'red' }, 'colour'],
    ['an operator key is sent', { $set: { version: 9 } }, '$set'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, overrides, field) => {
    const before = await Flag.countDocuments();

    const response = await request(app()).post('/flags').set(admin.auth).send(aFlag(overrides));

    expectFieldProblem(response, 'body', field);
    expect(await Flag.countDocuments()).toBe(before);
  });

  test('when the body is a JSON array, answers 400 and writes nothing', async () => {
    const before = await Flag.countDocuments();

    const response = await request(app()).post('/flags').set(admin.auth).send([aFlag()]);

    expect(response.status).toBe(400);
    expect(await Flag.countDocuments()).toBe(before);
  });

  test('server-set fields (_id, createdAt, role) are accepted and ignored', async () => {
    const response = await request(app())
      .post('/flags')
      .set(admin.auth)
      .send(aFlag({ _id: '0123456789abcdef01234567', createdAt: '2000-01-01T00:00:00.000Z', role: 'owner' }));

    expect(response.status).toBe(201);
    expect(response.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(await Flag.findById('0123456789abcdef01234567')).toBeNull();
  });
});

describe('PUT /flags/:key with bad input', () => {
  test.each(['1', '*', 'W/"1"', '"1", "2"', '"one"'])('If-Match: %s answers 400 naming the header, nothing written', async (ifMatch) => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', ifMatch).send({ description: 'x' });

    expectFieldProblem(response, 'headers', 'if-match');
    expect(await Flag.findOne({ key: flag.key }).lean()).toMatchObject({ version: 1 });
  });

  test('a key in the body other than the path answers 400 naming body.key', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({ key: 'another' });

    expectFieldProblem(response, 'body', 'key');
  });

  test('If-Match and a body version that disagree answer 400 naming body.version', async () => {
    const flag = await createFlag(app(), admin);

    const response = await request(app()).put(`/flags/${flag.key}`).set(admin.auth).set('If-Match', '"1"').send({ version: 2 });

    expectFieldProblem(response, 'body', 'version');
  });
});

describe('bad paths, queries and OFREP bodies', () => {
  test.each(['UPPER', 'a'.repeat(65), '-leading-dash'])('GET /flags/%s answers 400 naming params.key', async (key) => {
    expectFieldProblem(await request(app()).get(`/flags/${key}`).set(admin.auth), 'params', 'key');
  });

  test.each<[string, Record<string, string>, string]>([...BAD_PAGE_QUERIES, ['an unknown parameter', { colour: 'red' }, 'colour']])(
    'GET /flags with %s answers 400 naming the field',
    async (_case, query, field) => {
      expectFieldProblem(await request(app()).get('/flags').set(admin.auth).query(query), 'query', field);
    },
  );

  test('GET /audit?flag[$ne]=x answers 400 naming the field', async () => {
    expectFieldProblem(await request(app()).get('/audit').set(admin.auth).query({ 'flag[$ne]': 'x' }), 'query', 'flag[$ne]');
  });

  test.each<[string, unknown, string]>([
    ['an unknown field', { context: {}, flags: ['a'] }, 'flags'],
    ['a body that is an array', [{ context: {} }], ''],
  ])('POST /ofrep/v1/evaluate/flags with %s answers 400 problem+json', async (_case, body, field) => {
    const response = await request(app())
      .post('/ofrep/v1/evaluate/flags')
      .send(body as object);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    if (field) expectFieldProblem(response, 'body', field);
  });

  test('GET /ofrep/v1/events with a query answers 400 naming it', async () => {
    expectFieldProblem(await request(app()).get('/ofrep/v1/events').query({ since: '3' }), 'query', 'since');
  });
});
