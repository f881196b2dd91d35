import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, type TestAccount } from '@hub/testkit';
import { beforeAll, describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Suppression } from '../src/suppressions/suppression.model.ts';
import { aDelivery, deliveriesOf, send, storedDelivery, testApp, unique } from './support.ts';

const service = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

describe('POST /deliveries with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the template is missing', aDelivery({ template: undefined }), 'template'],
    ['the template is unknown', aDelivery({ template: 'newsletter' }), 'template'],
    ['the recipient is missing', aDelivery({ to: undefined }), 'to'],
    ['the recipient is not an email', aDelivery({ to: 'not an email' }), 'to'],
    ['the recipient is an operator object', aDelivery({ to: { $gt: '' } }), 'to'],
    ['the recipient is a list', aDelivery({ to: ['a@example.com', 'b@example.com'] }), 'to'],
    ['replyTo is not an email', aDelivery({ replyTo: 'nobody' }), 'replyTo'],
    ['the subject is blank', aDelivery({ subject: '  ' }), 'subject'],
    ['the subject is over 200 characters', aDelivery({ subject: 'x'.repeat(201) }), 'subject'],
    ['the variables are a string', aDelivery({ variables: 'name=Ada' }), 'variables'],
    ['the variables are a list', aDelivery({ variables: [] }), 'variables'],
    ['an unknown field is sent', aDelivery({ cc: 'eve@example.com' }), 'cc'],
    ['an operator key is sent', aDelivery({ $set: { status: 'sent' } }), '$set'],
  ])('when %s, answers 400 naming the field, sends nothing and records nothing', async (_case, body, field) => {
    const before = (await deliveriesOf(alice)).length;
    const mails = service.smtp.mails.length;

    const response = await send(service.app, alice, body);

    expectFieldProblem(response, 'body', field);
    expect(await deliveriesOf(alice)).toHaveLength(before);
    expect(service.smtp.mails.length).toBe(mails);
  });

  test('when the body is a JSON array, answers 400 and records nothing', async () => {
    const before = (await deliveriesOf(alice)).length;

    const response = await request(service.app).post('/deliveries').set(alice.auth).send([aDelivery()]);

    expect(response.status).toBe(400);
    expect(await deliveriesOf(alice)).toHaveLength(before);
  });

  test('owner, _id and createdAt in the body are ignored: the caller owns the delivery, under a fresh id', async () => {
    const response = await send(
      service.app,
      alice,
      aDelivery({ owner: bob.user.id, _id: '0123456789abcdef01234567', createdAt: '2000-01-01T00:00:00Z' }),
    );

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe('0123456789abcdef01234567');
    expect(String((await storedDelivery(response.body.id))?.owner)).toBe(alice.user.id);
  });
});

describe('POST /suppressions with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the email is missing', { reason: 'manual' }, 'email'],
    ['the email has CR LF in it', { email: 'ada@example.com\r\nBcc: eve@example.com' }, 'email'],
    ['the email is an operator object', { email: { $ne: null } }, 'email'],
    ['the reason is unknown', { email: 'ada@example.com', reason: 'annoying' }, 'reason'],
    ['an unknown field is sent', { email: 'ada@example.com', until: '2031-01-01' }, 'until'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const before = await Suppression.countDocuments({ owner: alice.user.id });

    const response = await request(service.app).post('/suppressions').set(alice.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await Suppression.countDocuments({ owner: alice.user.id })).toBe(before);
  });
});

describe('bad queries and path parameters', () => {
  test.each<[string, string, Record<string, string>, string]>([
    ...BAD_PAGE_QUERIES.map(([name, query, field]): [string, string, Record<string, string>, string] => [
      '/deliveries',
      name,
      query,
      field,
    ]),
    ['/deliveries', 'an unknown status', { status: 'bounced' }, 'status'],
    ['/deliveries', 'status[$ne]=sent', { 'status[$ne]': 'sent' }, 'status[$ne]'],
    ['/deliveries', 'an unknown parameter', { colour: 'red' }, 'colour'],
    ['/suppressions', 'limit=0', { limit: '0' }, 'limit'],
    ['/suppressions', 'an unknown parameter', { email: 'ada@example.com' }, 'email'],
    ['/templates', 'an unknown parameter', { name: 'welcome' }, 'name'],
  ])('GET %s with %s answers 400 naming the field', async (path, _case, query, field) => {
    const response = await request(service.app).get(path).set(alice.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });

  test.each([
    ['get', '/deliveries/not-an-id', 'id'],
    ['get', '/deliveries/$where', 'id'],
    ['delete', '/suppressions/0123456789abcdef0123456', 'id'],
    ['get', '/templates/Not_A_Name', 'name'],
    ['post', '/templates/x%20y/preview', 'name'],
  ] as const)('%s %s answers 400 naming params.%s, never 500', async (method, path, field) => {
    const response = await request(service.app)[method](path).set(alice.auth).send({});

    expectFieldProblem(response, 'params', field);
  });

  test('POST /templates/:name/preview with an unknown field or non-object variables answers 400 naming it', async () => {
    const unknown = await request(service.app).post('/templates/welcome/preview').set(alice.auth).send({ variables: {}, to: unique() });
    const notObject = await request(service.app).post('/templates/welcome/preview').set(alice.auth).send({ variables: 'Ada' });

    expectFieldProblem(unknown, 'body', 'to');
    expectFieldProblem(notObject, 'body', 'variables');
  });
});
