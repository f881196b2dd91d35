// Exercise 1: POST /flags/:key/environments/:environment/disable, a kill switch that needs no version.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { AuditEntry } from '../src/audit/audit-entry.model.ts';
import { Flag } from '../src/flags/flag.model.ts';
import { accountWith, createFlag, evaluateOne, unique, useInstances, type Instance } from '../test/support.ts';

useTestDatabase();
const instances = useInstances();
let a: Instance;
let b: Instance;
let admin: TestAccount;
let user: TestAccount;

beforeAll(async () => {
  a = instances.first;
  b = await instances.another();
  [admin, user] = await Promise.all([accountWith(a.app, 'admin'), accountWith(a.app, 'user')]);
});

const production = {
  environments: { production: { enabled: true, fallthrough: 'on' }, development: { enabled: true, fallthrough: 'on' } },
};
const disable = (key: string, environment = 'production', account = admin) =>
  request(a.app).post(`/flags/${key}/environments/${environment}/disable`).set(account.auth);

/** Resolves once instance B holds `key` at `version`; fails after a second. */
const heldByB = (key: string, version: number) =>
  new Promise<void>((resolve, reject) => {
    if (b.live.get(key)?.version === version) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`instance B did not get ${key} at version ${version} within 1 s`));
    }, 1000);
    const stop = b.live.onChange(() => {
      if (b.live.get(key)?.version !== version) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });

describe('POST /flags/:key/environments/:environment/disable', () => {
  test('turns that environment off without If-Match: 200, version + 1, new ETag; the other environment stays on', async () => {
    const flag = await createFlag(a.app, admin, production);
    await request(a.app)
      .put(`/flags/${flag.key}`)
      .set(admin.auth)
      .set('If-Match', '"1"')
      .send({ ...flag, ...production, description: 'an edit' });

    const response = await disable(flag.key);

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"3"');
    expect(response.body).toMatchObject({ version: 3, description: 'an edit' });
    expect(response.body.environments.production.enabled).toBe(false);
    expect(response.body.environments.development.enabled).toBe(true);
    expect(await Flag.findOne({ key: flag.key }).lean()).toMatchObject({ version: 3, environments: { production: { enabled: false } } });
  });

  test('a PUT from the version before the kill switch is still refused (412): the kill switch is not lost', async () => {
    const flag = await createFlag(a.app, admin, production);
    await disable(flag.key);

    const stale = await request(a.app)
      .put(`/flags/${flag.key}`)
      .set(admin.auth)
      .set('If-Match', '"1"')
      .send({ ...flag, ...production });

    expect(stale.status).toBe(412);
    expect(await Flag.findOne({ key: flag.key }).lean()).toMatchObject({ environments: { production: { enabled: false } } });
  });

  test('is audited with the actor, before and after, and instance B evaluates DISABLED', async () => {
    const flag = await createFlag(a.app, admin, production);
    await heldByB(flag.key, 1);

    await disable(flag.key);
    await heldByB(flag.key, 2);

    const entries = await AuditEntry.find({ flagKey: flag.key }).sort({ createdAt: 1, _id: 1 }).lean();
    expect(entries.map(({ action }) => action)).toEqual(['create', 'update']);
    expect(entries[1]).toMatchObject({ before: { version: 1 }, after: { version: 2 }, actor: { role: 'admin' } });
    expect((await evaluateOne(b.app, flag.key, { targetingKey: 'u1' })).body).toMatchObject({ reason: 'DISABLED', value: false });
  });

  test('an unknown flag is 404, an unknown environment a 400 naming it, a user 403', async () => {
    const flag = await createFlag(a.app, admin, production);

    expect((await disable(unique())).status).toBe(404);
    expectFieldProblem(await disable(flag.key, 'staging'), 'params', 'environment');
    expect((await disable(flag.key, 'production', user)).status).toBe(403);
    expect(await Flag.findOne({ key: flag.key }).lean()).toMatchObject({ version: 1 });
  });
});
