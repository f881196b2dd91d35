import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pausableProxy, signUp, useTestDatabase, useTestRedis, type PausableProxy, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { ClickCount } from '../src/clicks/click-count.model.ts';
import { createClickRecorder, type CounterUpsert } from '../src/clicks/click-recorder.ts';
import { deviceOf, isBot, referrerOf } from '../src/clicks/visitor.ts';
import { BROWSER, createLink, testClock, testService, visit } from './support.ts';

// This file's MongoDB is reached through a proxy that can stop answering, as a stopped or
// overloaded server does; registered before useTestDatabase(), so mongoose connects through it.
let mongo: PausableProxy;
let realMongoUrl: string | undefined;
beforeAll(async () => {
  realMongoUrl = process.env.MONGO_URL;
  mongo = await pausableProxy(realMongoUrl ?? '');
  process.env.MONGO_URL = mongo.url;
});
useTestDatabase();
const redis = useTestRedis();
afterAll(async () => {
  mongo.resume();
  process.env.MONGO_URL = realMongoUrl;
});

const clock = testClock(Date.parse('2026-03-01T23:59:00Z'));
let service: ReturnType<typeof testService>;
let alice: TestAccount;

beforeAll(async () => {
  service = testService(redis, { now: clock.now });
  alice = await signUp(service.app);
});

/** The clicks stored for a link, summed over its counters (straight from the collection). */
const clicksOf = async (link: string) => (await ClickCount.find({ link }).lean()).reduce((sum, counter) => sum + counter.clicks, 0);

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const IPAD =
  'Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const SLACK = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

describe('clicks are recorded off the request path', () => {
  test('while MongoDB does not answer, cached redirects still answer 302 and their clicks wait in the buffer; once it is back, all are written', async () => {
    const link = await createLink(service.app, alice.auth);
    await visit(service.app, link.code); // now cached in Redis
    await service.clicks.flush();
    const before = await clicksOf(link.id);

    mongo.pause();
    const responses = await Promise.all(Array.from({ length: 10 }, () => visit(service.app, link.code)));
    const queued = service.clicks.pending();
    mongo.resume();
    await service.clicks.flush();

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(302));
    expect(queued).toBe(10);
    expect(await clicksOf(link.id)).toBe(before + 10);
    // Eleven identical visits, one counter: the writes do not grow with the traffic.
    expect(await ClickCount.countDocuments({ link: link.id })).toBe(1);
    expect(service.clicks.pending()).toBe(0);
  });

  test('a redirect does not wait for its click: it is queued, and written only by a flush', async () => {
    const link = await createLink(service.app, alice.auth);

    await visit(service.app, link.code);
    const beforeFlush = await clicksOf(link.id);
    await service.clicks.flush();

    expect(beforeFlush).toBe(0);
    expect(await clicksOf(link.id)).toBe(1);
  });
});

describe('the click buffer', () => {
  const click = (link: string, referrer = 'direct') => ({ link, at: clock.now(), referrer, device: 'desktop', bot: false });
  /** A write that fails as told, and keeps what it was sent. */
  function recordingWrite(failures: unknown[] = []) {
    const sent: CounterUpsert[][] = [];
    const write = async (upserts: CounterUpsert[]) => {
      sent.push(upserts);
      const failure = failures.shift();
      if (failure) throw failure;
    };
    return { sent, write };
  }
  const clicksIn = (upserts: CounterUpsert[] | undefined) =>
    (upserts ?? []).map((upsert) => [upsert.updateOne.filter.referrer, upsert.updateOne.update.$inc.clicks]);

  test('clicks of one combination become one upsert with their count', async () => {
    const { sent, write } = recordingWrite();
    const recorder = createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 100, write });
    for (let n = 0; n < 3; n += 1) recorder.record(click('64b000000000000000000001'));
    recorder.record(click('64b000000000000000000001', 'news.example.net'));

    await recorder.flush();

    expect(sent).toHaveLength(1);
    expect(clicksIn(sent[0])).toEqual([
      ['direct', 3],
      ['news.example.net', 1],
    ]);
    expect(recorder.pending()).toBe(0);
  });

  test('when a write fails, its clicks are kept and written by the next flush', async () => {
    const { sent, write } = recordingWrite([new Error('connection reset')]);
    const recorder = createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 100, write });
    recorder.record(click('64b000000000000000000002'));
    recorder.record(click('64b000000000000000000002'));

    await expect(recorder.flush()).rejects.toThrow('connection reset');
    const kept = recorder.pending();
    recorder.record(click('64b000000000000000000002'));
    await recorder.flush();

    expect(kept).toBe(2);
    expect(clicksIn(sent[1])).toEqual([['direct', 3]]);
    expect(recorder.pending()).toBe(0);
  });

  test('when MongoDB names the upserts that failed, only those are counted again', async () => {
    const partly = Object.assign(new Error('E11000 duplicate key'), { writeErrors: [{ index: 1, code: 11000 }] });
    const { sent, write } = recordingWrite([partly]);
    const recorder = createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 100, write });
    recorder.record(click('64b000000000000000000003', 'a.example'));
    recorder.record(click('64b000000000000000000003', 'b.example'));

    await expect(recorder.flush()).rejects.toThrow('E11000');
    await recorder.flush();

    expect(clicksIn(sent[1])).toEqual([['b.example', 1]]);
  });

  test('a full batch is written at once, without waiting for the timer', async () => {
    const { sent, write } = recordingWrite();
    const recorder = createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 2, write });

    recorder.record(click('64b000000000000000000004'));
    const afterOne = sent.length;
    recorder.record(click('64b000000000000000000004'));
    // Counted synchronously, with no flush() of the test's own: the second click started the write.
    const afterTwo = sent.length;

    expect(afterOne).toBe(0);
    expect(afterTwo).toBe(1);
    expect(clicksIn(sent[0])).toEqual([['direct', 2]]);
    await recorder.stop();
  });

  test('past maxCounters, clicks for new combinations are dropped instead of held without bound', async () => {
    const { sent, write } = recordingWrite();
    const recorder = createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 100, maxCounters: 2, write });

    for (const referrer of ['a.example', 'b.example', 'c.example', 'a.example'])
      recorder.record(click('64b000000000000000000005', referrer));
    await recorder.flush();

    expect(clicksIn(sent[0])).toEqual([
      ['a.example', 2],
      ['b.example', 1],
    ]);
  });
});

describe('GET /links/:id/stats', () => {
  test('counts clicks by UTC day, referrer host and device; bots are counted apart and left out of the breakdowns', async () => {
    const link = await createLink(service.app, alice.auth);
    await visit(service.app, link.code, { Referer: 'https://news.example.net/item?id=1' });
    await visit(service.app, link.code, { 'User-Agent': IPHONE, Referer: 'https://news.example.net/other' });
    clock.advance(120); // past midnight UTC: the next clicks are on 2026-03-02
    await visit(service.app, link.code, { 'User-Agent': IPAD });
    await visit(service.app, link.code, { 'User-Agent': IPHONE, Referer: 'not a url' });
    await visit(service.app, link.code, { 'User-Agent': GOOGLEBOT });
    await visit(service.app, link.code, { 'User-Agent': SLACK, Referer: 'https://slack.com/' });
    await service.clicks.flush();

    const response = await request(service.app).get(`/links/${link.id}/stats`).set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      total: 6,
      humans: 4,
      bots: 2,
      byDay: [
        { day: '2026-03-01', clicks: 2 },
        { day: '2026-03-02', clicks: 2 },
      ],
      byReferrer: [
        { referrer: 'direct', clicks: 2 },
        { referrer: 'news.example.net', clicks: 2 },
      ],
      byDevice: [
        { device: 'mobile', clicks: 2 },
        { device: 'desktop', clicks: 1 },
        { device: 'tablet', clicks: 1 },
      ],
    });
  });

  test('a link nobody visited has zero everywhere', async () => {
    const link = await createLink(service.app, alice.auth);

    const response = await request(service.app).get(`/links/${link.id}/stats`).set(alice.auth);

    expect(response.body).toEqual({ total: 0, humans: 0, bots: 0, byDay: [], byReferrer: [], byDevice: [] });
  });
});

describe('who is visiting', () => {
  test.each([
    [BROWSER, 'desktop', false],
    [IPHONE, 'mobile', false],
    [IPAD, 'tablet', false],
    ['Mozilla/5.0 (Linux; Android 14; SM-X910) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'tablet', false],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36', 'mobile', false],
    [GOOGLEBOT, 'desktop', true],
    ['curl/8.5.0', 'desktop', true],
    [undefined, 'unknown', true],
  ])('%s is a %s, bot: %s', (userAgent, device, bot) => {
    expect(deviceOf(userAgent)).toBe(device);
    expect(isBot(userAgent)).toBe(bot);
  });

  test.each([
    ['https://News.Example.net/a?b=c', 'news.example.net'],
    [undefined, 'direct'],
    ['', 'direct'],
    ['garbage', 'direct'],
  ])('the referrer %s counts as %s', (referer, host) => {
    expect(referrerOf(referer)).toBe(host);
  });
});

describe('GET /links/:id/qr', () => {
  test('answers an SVG image of the short URL', async () => {
    const link = await createLink(service.app, alice.auth);

    const response = await request(service.app).get(`/links/${link.id}/qr`).set(alice.auth).buffer(true);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.text);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
  });
});
