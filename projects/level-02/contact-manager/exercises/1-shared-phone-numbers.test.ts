// Exercise 1: GET /contacts/duplicates groups your contacts that share a phone number, in one aggregation.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { aContact, testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;
const ids: Record<string, string> = {};

interface Group {
  number: string;
  contacts: Array<{ id: string; name: string }>;
}

async function add(account: TestAccount, name: string, numbers: Array<[string, string]>) {
  const phones = numbers.map(([label, number]) => ({ label, number }));
  const response = await request(app).post('/contacts').set(account.auth).send(aContact({ name, phones }));
  if (response.status !== 201) throw new Error(`add ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  ids[name] = response.body.id as string;
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
  // Typed differently, stored the same (E.164): Ann and Bo share +14155550123, Ann and Cy +442079460958.
  await add(alice, 'Ann', [
    ['mobile', '+1 (415) 555-0123'],
    ['work', '+44 20 7946 0958'],
  ]);
  await add(alice, 'Bo', [['work', '+14155550123']]);
  await add(alice, 'Cy', [['home', '+442079460958']]);
  // One contact with one number under two labels is not two contacts sharing it.
  await add(alice, 'Dee', [
    ['mobile', '+15550001111'],
    ['home', '+15550001111'],
  ]);
  await add(alice, 'Eve', []);
  await add(alice, 'Fay', [['mobile', '+16505550199']]);
  // Bob's contacts share numbers with Alice's, never a group with them.
  await add(bob, 'Bob’s Ann', [
    ['mobile', '+14155550123'],
    ['home', '+15550001111'],
  ]);
});

/** Each group's contacts by name, so the check does not depend on the order inside a group. */
const byName = (groups: Group[]) =>
  groups.map(({ number, contacts }) => ({ number, contacts: [...contacts].sort((a, b) => a.name.localeCompare(b.name)) }));

describe('GET /contacts/duplicates', () => {
  test('lists each number shared by two or more of your contacts, sorted by number, with who has it', async () => {
    const response = await request(app).get('/contacts/duplicates').set(alice.auth);

    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['groups']);
    expect(byName(response.body.groups)).toEqual([
      {
        number: '+14155550123',
        contacts: [
          { id: ids.Ann, name: 'Ann' },
          { id: ids.Bo, name: 'Bo' },
        ],
      },
      {
        number: '+442079460958',
        contacts: [
          { id: ids.Ann, name: 'Ann' },
          { id: ids.Cy, name: 'Cy' },
        ],
      },
    ]);
  });

  test("another user's contacts are never counted: Bob, with one contact, has no duplicates", async () => {
    const response = await request(app).get('/contacts/duplicates').set(bob.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ groups: [] });
  });

  test('without a token: 401', async () => {
    expect((await request(app).get('/contacts/duplicates')).status).toBe(401);
  });
});

describe('the routes around it stay as they were', () => {
  test('GET /contacts/:id still reads a contact, and a bad id is still a 400', async () => {
    const read = await request(app).get(`/contacts/${ids.Ann}`).set(alice.auth);
    const bad = await request(app).get('/contacts/not-an-id').set(alice.auth);

    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Ann');
    expect(bad.status).toBe(400);
  });
});
