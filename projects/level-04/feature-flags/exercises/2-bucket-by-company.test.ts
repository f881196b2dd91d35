// Exercise 2: a rollout's optional bucketBy, the context attribute it hashes instead of the targetingKey.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { bucketOf } from '../src/flags/rollout.ts';
import { accountWith, aFlag, evaluateOne, useInstances } from '../test/support.ts';

useTestDatabase();
const instances = useInstances();
const app = () => instances.first.app;
let admin: TestAccount;

beforeAll(async () => {
  admin = await accountWith(app(), 'admin');
});

const byCompany = () =>
  aFlag({ environments: { production: { enabled: true, rollout: { variant: 'on', percentage: 50, bucketBy: 'companyId' } } } });

describe('a rollout with bucketBy: companyId', () => {
  test('is accepted, stored and shown', async () => {
    const response = await request(app()).post('/flags').set(admin.auth).send(byCompany());

    expect(response.status).toBe(201);
    expect(response.body.environments.production.rollout).toEqual({ variant: 'on', percentage: 50, bucketBy: 'companyId' });
  });

  test("every user of one company gets the company's variant, the one bucketOf(key, salt, companyId) gives", async () => {
    const created = await request(app()).post('/flags').set(admin.auth).send(byCompany());
    const { key, salt } = created.body as { key: string; salt: string };
    const companies = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];

    for (const company of companies) {
      const expected = bucketOf(key, salt, company) < 5000 ? 'on' : 'off';
      const answers = await Promise.all(
        ['u1', 'u2', 'u3'].map((user) => evaluateOne(app(), key, { targetingKey: `${company}-${user}`, companyId: company })),
      );
      expect(answers.map(({ body }) => [body.reason, body.variant])).toEqual([1, 2, 3].map(() => ['SPLIT', expected]));
    }
  });

  test('a context without the attribute is TARGETING_KEY_MISSING, even with a targetingKey', async () => {
    const created = await request(app()).post('/flags').set(admin.auth).send(byCompany());

    const response = await evaluateOne(app(), created.body.key, { targetingKey: 'u1' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  });
});
