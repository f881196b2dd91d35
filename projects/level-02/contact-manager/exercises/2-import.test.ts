// Exercise 2: POST /contacts/import inserts many contacts at once; a taken email refuses that row only.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp, uniqueEmail } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let bob: TestAccount;

beforeAll(async () => {
  bob = await signUp(app);
});

const importing = (account: TestAccount, contacts: unknown) => request(app).post('/contacts/import').set(account.auth).send({ contacts });
const ownedBy = (account: TestAccount) => Contact.find({ owner: account.user.id }).lean();

describe('POST /contacts/import', () => {
  test('inserts every new row and reports each row whose email you already have, by its index', async () => {
    const alice = await signUp(app);
    const taken = uniqueEmail();
    const fresh = uniqueEmail();
    await request(app)
      .post('/contacts')
      .set(alice.auth)
      .send(aContact({ name: 'Already here', email: taken }));

    const response = await importing(alice, [
      { name: 'Row 0', email: fresh },
      { name: 'Row 1', email: ` ${taken.toUpperCase()} ` }, // the same email once trimmed and lower-cased
      { name: 'Row 2' },
      { name: 'Row 3', email: fresh }, // taken by row 0 of this same import
      { name: 'Row 4', phones: [{ label: 'work', number: '+1 (415) 555-0123' }] },
    ]);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      inserted: 3,
      duplicates: [
        { row: 1, email: taken },
        { row: 3, email: fresh },
      ],
    });
    const stored = await ownedBy(alice);
    expect(stored.map(({ name }) => name).sort()).toEqual(['Already here', 'Row 0', 'Row 2', 'Row 4']);
    expect(stored.find(({ name }) => name === 'Row 4')?.phones).toEqual([{ label: 'work', number: '+14155550123' }]);
  });

  test('one taken email among the rows: that row alone is refused', async () => {
    const alice = await signUp(app);
    const taken = uniqueEmail();
    await request(app)
      .post('/contacts')
      .set(alice.auth)
      .send(aContact({ email: taken }));

    const response = await importing(alice, [{ name: 'New' }, { name: 'Again', email: taken }]);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ inserted: 1, duplicates: [{ row: 1, email: taken }] });
    expect(await ownedBy(alice)).toHaveLength(2);
  });

  test('rows without an email never collide, and an email another owner has is yours to import', async () => {
    const alice = await signUp(app);
    const bobs = uniqueEmail();
    await request(app)
      .post('/contacts')
      .set(bob.auth)
      .send(aContact({ email: bobs }));

    const response = await importing(alice, [{ name: 'No email 1' }, { name: 'No email 2' }, { name: 'Same as Bob’s', email: bobs }]);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ inserted: 3, duplicates: [] });
    expect(await ownedBy(alice)).toHaveLength(3);
  });

  test('owner in a row is ignored: every imported contact is the caller’s', async () => {
    const alice = await signUp(app);

    const response = await importing(alice, [{ name: 'Planted', owner: bob.user.id }]);

    expect(response.status).toBe(200);
    expect((await ownedBy(alice)).map(({ name }) => name)).toEqual(['Planted']);
    expect(await Contact.countDocuments({ owner: bob.user.id, name: 'Planted' })).toBe(0);
  });
});

describe('a bad import is refused whole, before anything is written', () => {
  test.each([
    ['a row with a bad email', [{ name: 'Fine' }, { name: 'Bad', email: 'not-an-email' }], 'contacts.1.email'],
    ['a row with a bad phone', [{ name: 'Bad', phones: [{ label: 'work', number: '12345' }] }], 'contacts.0.phones.0.number'],
    ['a row with an operator', [{ name: { $gt: '' } }], 'contacts.0.name'],
    ['no rows', [], 'contacts'],
    ['more than 1000 rows', Array.from({ length: 1001 }, (_, row) => ({ name: `n${row}` })), 'contacts'],
    ['not a list', { name: 'one' }, 'contacts'],
  ])('%s: 400 naming the field, nothing stored', async (_case, contacts, field) => {
    const alice = await signUp(app);

    const response = await importing(alice, contacts);

    expectFieldProblem(response, 'body', field);
    expect(await ownedBy(alice)).toHaveLength(0);
  });

  test('without a token: 401, nothing stored', async () => {
    const before = await Contact.countDocuments();

    const response = await request(app)
      .post('/contacts/import')
      .send({ contacts: [{ name: 'Anonymous' }] });

    expect(response.status).toBe(401);
    expect(await Contact.countDocuments()).toBe(before);
  });
});

describe('one contact at a time stays as it was', () => {
  test('POST /contacts with an email you already have is still a 409', async () => {
    const alice = await signUp(app);
    const email = uniqueEmail();
    await request(app).post('/contacts').set(alice.auth).send(aContact({ email }));

    const response = await request(app).post('/contacts').set(alice.auth).send(aContact({ email }));

    expect(response.status).toBe(409);
    expect(await Contact.countDocuments({ owner: alice.user.id })).toBe(1);
  });
});
