// Exercise 1: a link preview is not a visit. Bots (Slack, WhatsApp, Googlebot…) fetch a link
// when it is pasted; on a one-time link that used up its only visit before the person clicked.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { createLink, stored, testService, visit } from '../test/support.ts';

useTestDatabase();
const redis = useTestRedis();
let service: ReturnType<typeof testService>;
let alice: TestAccount;

beforeAll(async () => {
  service = testService(redis);
  alice = await signUp(service.app);
});

const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('bots do not use up visits', () => {
  test('a one-time link fetched by two preview bots still redirects its one person, then answers 410', async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 1 });

    const slack = await visit(service.app, link.code, { 'User-Agent': SLACKBOT });
    const google = await visit(service.app, link.code, { 'User-Agent': GOOGLEBOT });
    const person = await visit(service.app, link.code);
    const second = await visit(service.app, link.code);

    expect([slack.status, google.status]).toEqual([302, 302]);
    expect(person.status).toBe(302);
    expect(person.headers.location).toBe(link.url);
    expect(second.status).toBe(410);
    expect(await stored(link.id)).toMatchObject({ visits: 1 });
  });

  test('a bot on a used-up link gets 410 like anyone, and its click is still counted as a bot', async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 1 });
    await visit(service.app, link.code);

    const bot = await visit(service.app, link.code, { 'User-Agent': SLACKBOT });
    await visit(service.app, link.code, { 'User-Agent': SLACKBOT, Referer: 'https://slack.com/' });

    expect(bot.status).toBe(410);
    expect(await stored(link.id)).toMatchObject({ visits: 1 });
  });

  test('bot previews of a link without a limit are still counted apart in the stats', async () => {
    const link = await createLink(service.app, alice.auth);

    await visit(service.app, link.code, { 'User-Agent': SLACKBOT });
    await visit(service.app, link.code);
    await service.clicks.flush();
    const stats = await request(service.app).get(`/links/${link.id}/stats`).set(alice.auth);

    expect(stats.body).toMatchObject({ total: 2, humans: 1, bots: 1 });
  });
});
