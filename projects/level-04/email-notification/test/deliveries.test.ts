import { pausableProxy, signUp, type TestAccount } from '@hub/testkit';
import { beforeAll, describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import request from 'supertest';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { Suppression } from '../src/suppressions/suppression.model.ts';
import { aDelivery, deliveriesOf, expectProblem, rawSmtp, send, storedDelivery, testApp, unique } from './support.ts';

const service = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

const unusedId = () => new mongoose.Types.ObjectId().toHexString();

// Nothing listens on port 1: the connection is refused at once, as when the mail server is down.
const SMTP_DOWN = 'smtp://127.0.0.1:1';

/** Reads the database until `found` returns something, yielding to the event loop in between (no timer). */
async function whenStored<T>(found: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 5000; attempt += 1) {
    const value = await found();
    if (value) return value;
    await new Promise((next) => setImmediate(next));
  }
  throw new Error('never stored');
}

describe('POST /deliveries when the SMTP server is down', () => {
  test('answers 502 problem+json smtp-failed and records the delivery as failed, with the error code and no Message-ID', async () => {
    const app = service.build({ smtpUrl: SMTP_DOWN });
    const account = await signUp(app);

    const response = await send(app, account, aDelivery());

    expectProblem(response, 502, 'smtp-failed');
    const [failed, ...others] = await deliveriesOf(account);
    expect(others).toEqual([]);
    expect(failed).toMatchObject({
      status: 'failed',
      messageId: null,
      sentAt: null,
      error: { code: expect.stringMatching(/^E[A-Z]+$/), smtpCode: null },
    });
    expect(failed?.failedAt).toBeInstanceOf(Date);
    expect(response.body.detail).toContain(`delivery ${String(failed?._id)} is recorded as failed`);
    const logged = await request(app)
      .get(`/deliveries/${String(failed?._id)}`)
      .set(account.auth);
    expect(logged.body).toMatchObject({ status: 'failed', error: { code: failed?.error?.code, smtpCode: null } });
  });

  test('/ready answers 503 naming smtp', async () => {
    const response = await request(service.build({ smtpUrl: SMTP_DOWN })).get('/ready');

    expectProblem(response, 503, 'not-ready');
    expect(response.body.detail).toContain('smtp');
  });
});

describe('POST /deliveries when the SMTP server refuses the recipient', () => {
  test('answers 502 and records the failure with the SMTP reply code (550) and its line', async () => {
    const refusing = await rawSmtp({ rejectRecipients: '550 5.1.1 No such mailbox here' });
    const app = service.build({ smtpUrl: refusing.url });
    const account = await signUp(app);

    const response = await send(app, account, aDelivery());
    await refusing.close();

    expectProblem(response, 502, 'smtp-failed');
    expect(response.body.detail).toContain('(550)');
    const [failed] = await deliveriesOf(account);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'EENVELOPE', smtpCode: 550, response: expect.stringContaining('No such mailbox') },
    });
    expect(refusing.messages).toEqual([]);
  });
});

describe('the states of a delivery', () => {
  test('it is recorded as queued while the SMTP server has not answered, then as sent with its Message-ID', async () => {
    const proxy = await pausableProxy(service.smtp.url);
    const app = service.build({ smtpUrl: proxy.url });
    const account = await signUp(app);
    proxy.pause();

    const sending = send(app, account, aDelivery()).then((response) => response);
    const queued = await whenStored(() => Delivery.findOne({ owner: account.user.id }).lean());
    const whileQueued = await request(app)
      .get(`/deliveries/${String(queued._id)}`)
      .set(account.auth);
    proxy.resume();
    const response = await sending;
    await proxy.close();

    expect(queued).toMatchObject({ status: 'queued', messageId: null });
    expect(whileQueued.body).toMatchObject({ status: 'queued', messageId: null, sentAt: null });
    expect(response.status).toBe(201);
    expect(await storedDelivery(String(queued._id))).toMatchObject({ status: 'sent', messageId: response.body.messageId });
  });
});

describe('GET /deliveries', () => {
  test("lists only the caller's deliveries, newest first, by page and cursor, and by status", async () => {
    const account = await signUp(service.app);
    const now = Date.now();
    const statuses = ['sent', 'failed', 'sent', 'suppressed', 'sent'] as const;
    // Inserted directly, a minute apart, so their order is known.
    await Delivery.insertMany(
      statuses.map((status, n) => ({
        owner: account.user.id,
        template: 'welcome',
        to: `d${n}@example.com`,
        subject: 'Welcome',
        status,
        createdAt: new Date(now - n * 60_000),
        updatedAt: new Date(now),
      })),
      { timestamps: false },
    );
    await send(service.app, bob, aDelivery());
    const tos = (response: request.Response) => (response.body.items as Array<{ to: string }>).map((delivery) => delivery.to);

    const first = await request(service.app).get('/deliveries').set(account.auth).query({ limit: 2 });
    const next = await request(service.app).get('/deliveries').set(account.auth).query({ limit: 2, cursor: first.body.nextCursor });
    const sent = await request(service.app).get('/deliveries').set(account.auth).query({ status: 'sent' });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 5, limit: 2, page: 1, pages: 3 });
    expect(tos(first)).toEqual(['d0@example.com', 'd1@example.com']);
    expect(tos(next)).toEqual(['d2@example.com', 'd3@example.com']);
    expect(tos(sent)).toEqual(['d0@example.com', 'd2@example.com', 'd4@example.com']);
    expect(sent.body.total).toBe(3);
  });
});

describe('GET /deliveries/:id', () => {
  test("another account's delivery answers 404, exactly like a missing one", async () => {
    const sent = await send(service.app, alice, aDelivery());
    const missing = await request(service.app).get(`/deliveries/${unusedId()}`).set(bob.auth);

    const response = await request(service.app).get(`/deliveries/${sent.body.id}`).set(bob.auth);

    expectProblem(response, 404, 'not-found');
    expect(response.body.title).toBe(missing.body.title);
    expect(missing.status).toBe(404);
    const own = await request(service.app).get(`/deliveries/${sent.body.id}`).set(alice.auth);
    expect(own.body).toEqual(sent.body);
  });
});

describe('without a valid token', () => {
  test.each([
    ['GET /templates', () => request(service.app).get('/templates')],
    ['POST /templates/:name/preview', () => request(service.app).post('/templates/welcome/preview').send({ variables: {} })],
    ['POST /deliveries', () => request(service.app).post('/deliveries').send(aDelivery())],
    ['GET /deliveries', () => request(service.app).get('/deliveries')],
    ['GET /deliveries/:id', () => request(service.app).get(`/deliveries/${unusedId()}`)],
    ['POST /suppressions', () => request(service.app).post('/suppressions').send({ email: unique() })],
    ['GET /suppressions', () => request(service.app).get('/suppressions')],
    ['DELETE /suppressions/:id', () => request(service.app).delete(`/suppressions/${unusedId()}`)],
  ])('%s answers 401 problem+json and sends and writes nothing', async (_route, call) => {
    const before = [await Delivery.countDocuments(), await Suppression.countDocuments(), service.smtp.mails.length];

    const none = await call();
    const garbage = await call().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect([await Delivery.countDocuments(), await Suppression.countDocuments(), service.smtp.mails.length]).toEqual(before);
  });
});

describe('/suppressions', () => {
  test('POST adds an address (201, normalised) and answers 200 with the same entry when it is already there', async () => {
    const email = unique();

    const added = await request(service.app).post('/suppressions').set(alice.auth).send({ email: email.toUpperCase(), reason: 'bounced' });
    const again = await request(service.app).post('/suppressions').set(alice.auth).send({ email });

    expect(added.status).toBe(201);
    expect(added.headers.location).toBe(`/suppressions/${added.body.id}`);
    expect(added.body).toEqual({ id: expect.any(String), email, reason: 'bounced', createdAt: expect.any(String) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(added.body);
  });

  test('five POSTs of one address at the same moment make one entry', async () => {
    const email = unique();

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(service.app).post('/suppressions').set(alice.auth).send({ email })),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(await Suppression.countDocuments({ owner: alice.user.id, email })).toBe(1);
  });

  test("GET lists only the caller's entries; DELETE of another account's entry answers 404 and keeps it", async () => {
    const email = unique();
    const added = await request(service.app).post('/suppressions').set(alice.auth).send({ email });

    const bobs = await request(service.app).get('/suppressions').set(bob.auth).query({ limit: 100 });
    const stolen = await request(service.app).delete(`/suppressions/${added.body.id}`).set(bob.auth);
    const alices = await request(service.app).get('/suppressions').set(alice.auth).query({ limit: 100 });

    expect(bobs.body.items.map((entry: { email: string }) => entry.email)).not.toContain(email);
    expectProblem(stolen, 404, 'not-found');
    expect(alices.body.items.map((entry: { email: string }) => entry.email)).toContain(email);
    expect((await request(service.app).delete(`/suppressions/${added.body.id}`).set(alice.auth)).status).toBe(204);
    expect(await Suppression.countDocuments({ email })).toBe(0);
  });
});

describe('the send limit per account', () => {
  test('of 6 sends at once with SEND_MAX_PER_ACCOUNT=3, exactly 3 are sent and 3 get 429 with Retry-After; another account is not held back', async () => {
    const app = service.build({ env: { SEND_MAX_PER_ACCOUNT: '3', SEND_WINDOW_SECONDS: '600' } });
    const [busy, other] = await Promise.all([signUp(app), signUp(app)]);
    const bodies = Array.from({ length: 6 }, () => aDelivery());

    const responses = await Promise.all(bodies.map((body) => send(app, busy, body)));
    const others = await send(app, other, aDelivery());

    expect(responses.map((response) => response.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    for (const refused of responses.filter((response) => response.status === 429)) {
      expectProblem(refused, 429, 'too-many-requests');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    }
    expect(others.status).toBe(201);
    expect(await deliveriesOf(busy)).toHaveLength(3);
    const delivered = bodies.filter((body) => service.smtp.mails.some((mail) => mail.to.includes(body.to)));
    expect(delivered).toHaveLength(3);
  });
});
