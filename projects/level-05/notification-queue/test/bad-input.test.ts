import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anEvent, testApp, unusedId } from './support.ts';

const t = testApp();
let producer: TestAccount;

beforeAll(async () => {
  producer = await signUp(t.app);
});

describe('POST /events with bad input', () => {
  const recipient = unusedId();
  test.each<[string, Record<string, unknown>, string]>([
    ['the type is unknown', anEvent([recipient], { type: 'comment.deleted' }), 'type'],
    ['the recipients are missing', { ...anEvent([recipient]), recipients: undefined }, 'recipients'],
    ['the recipients are empty', anEvent([]), 'recipients'],
    ['a recipient is not an id', anEvent(['nobody']), 'recipients.0'],
    ['a recipient is repeated', anEvent([recipient, recipient]), 'recipients'],
    ['over 100 recipients', anEvent(Array.from({ length: 101 }, unusedId)), 'recipients'],
    ['the title is blank', anEvent([recipient], { title: '  ' }), 'title'],
    ['the title is an operator object', anEvent([recipient], { title: { $gt: '' } }), 'title'],
    ['the digest key has a space', anEvent([recipient], { digestKey: 'a b' }), 'digestKey'],
    ['an unknown field is sent', anEvent([recipient], { priority: 'high' }), 'priority'],
  ])('when %s, answers 400 naming the field and queues nothing', async (_case, body, field) => {
    const before = t.queue.jobs.length;

    const response = await request(t.app).post('/events').set(producer.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(t.queue.jobs.length).toBe(before);
  });
});

describe('PUT /preferences with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a channel is unknown', { mutedChannels: ['sms'] }, 'mutedChannels.0'],
    ['a muted type is unknown', { mutedTypes: [{ type: 'nope', channel: 'email' }] }, 'mutedTypes.0.type'],
    ['a muted entry has an extra field', { mutedTypes: [{ type: 'comment.created', channel: 'email', x: 1 }] }, 'mutedTypes.0.x'],
    ['an unknown field is sent', { quiet: true }, 'quiet'],
  ])('when %s, answers 400 naming the field and keeps the old preferences', async (_case, body, field) => {
    const account = await signUp(t.app);
    await request(t.app)
      .put('/preferences')
      .set(account.auth)
      .send({ mutedChannels: ['email'] });

    const response = await request(t.app).put('/preferences').set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect((await request(t.app).get('/preferences').set(account.auth)).body.mutedChannels).toEqual(['email']);
  });

  test('GET /preferences answers the defaults first, then what was set, with the critical types', async () => {
    const account = await signUp(t.app);
    expect((await request(t.app).get('/preferences').set(account.auth)).body).toEqual({
      mutedChannels: [],
      mutedTypes: [],
      criticalTypes: ['security.new-login'],
    });
  });
});
