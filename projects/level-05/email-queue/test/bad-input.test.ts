import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Email } from '../src/emails/email.model.ts';
import { anEmail, submit, testApp } from './support.ts';

const service = testApp();
let alice: TestAccount;

beforeAll(async () => {
  alice = await signUp(service.app);
});

const ownEmails = () => Email.countDocuments({ owner: alice.user.id });

describe('POST /emails with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the address is missing', { to: undefined }, 'to'],
    ['the address is not one', { to: 'not-an-address' }, 'to'],
    ['the address carries a second line', { to: 'ada@example.com\r\nBcc: eve@example.com' }, 'to'],
    ['the subject is blank', { subject: '   ' }, 'subject'],
    ['the subject is over 200 characters', { subject: 'x'.repeat(201) }, 'subject'],
    ['the subject carries a line break', { subject: 'hi\nBcc: eve@example.com' }, 'subject'],
    ['the text is empty', { text: '' }, 'text'],
    ['the text is over 20,000 characters', { text: 'x'.repeat(20_001) }, 'text'],
    ['the text is an operator object', { text: { $gt: '' } }, 'text'],
    ['an unknown field is sent', { cc: 'eve@example.com' }, 'cc'],
  ])('when %s, answers 400 naming the field and queues nothing', async (_case, overrides, field) => {
    const before = await ownEmails();

    const response = await submit(service.app, alice, anEmail(overrides));

    expectFieldProblem(response, 'body', field);
    expect(await ownEmails()).toBe(before);
  });

  test.each([['x'.repeat(300)], ['two words']])(
    'when the Idempotency-Key is malformed (%s), answers 400 naming the header',
    async (key) => {
      const response = await submit(service.app, alice, anEmail(), key);

      expectFieldProblem(response, 'headers', 'idempotency-key');
    },
  );
});

describe('bad ids and page queries', () => {
  test.each([['/emails/not-an-id'], ['/dead-letters/not-an-id/requeue']])('%s answers 400 naming the id', async (path) => {
    const call = path.endsWith('requeue') ? request(service.app).post(path) : request(service.app).get(path);

    expectFieldProblem(await call.set(alice.auth), 'params', 'id');
  });

  test.each(BAD_PAGE_QUERIES)('GET /dead-letters when %s answers 400 naming the field', async (_case, query, field) => {
    const response = await request(service.app).get('/dead-letters').query(query).set(alice.auth);

    expectFieldProblem(response, 'query', field);
  });
});
