import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestSmtp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Email } from '../src/emails/email.model.ts';
import { anEmail, newKey, settled, submit, testApp, unique } from './support.ts';

const service = testApp();
const smtp = useTestSmtp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

const jobs = async () => (await service.queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])).length;

describe('POST /emails', () => {
  test('answers 202 with the id of the queued job and a Location; the job carries only the email id', async () => {
    const body = anEmail();

    const response = await submit(service.app, alice, body);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ to: body.to, subject: body.subject, status: 'queued', attempts: 0, messageId: null });
    expect(response.headers.location).toBe(`/emails/${response.body.id}`);
    const job = await service.queue.getJob(response.body.id);
    expect(job?.data).toEqual({ emailId: response.body.id });
    expect(job?.opts).toMatchObject({ attempts: 6, backoff: { type: 'exponential', delay: 1 } });
  });

  test('when the Idempotency-Key header is missing, answers 400 naming it, and stores and queues nothing', async () => {
    const body = anEmail();
    const before = await jobs();

    const response = await submit(service.app, alice, body, null);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'headers', field: 'idempotency-key' })]);
    expect(await Email.countDocuments({ to: body.to })).toBe(0);
    expect(await jobs()).toBe(before);
  });

  test('the same key again answers the stored 202 with Idempotent-Replayed: true, and queues no second job', async () => {
    const body = anEmail();
    const key = newKey();

    const first = await submit(service.app, alice, body, key);
    const replay = await submit(service.app, alice, body, key);

    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.location).toBe(first.headers.location);
    expect(replay.body).toEqual(first.body);
    expect(await Email.countDocuments({ to: body.to })).toBe(1);
  });

  test('the same key with a different body answers 422 and queues nothing more', async () => {
    const key = newKey();
    const body = anEmail();
    await submit(service.app, alice, body, key);

    const response = await submit(service.app, alice, { ...body, subject: 'Another subject' }, key);

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await Email.countDocuments({ to: body.to })).toBe(1);
  });

  test('keys are per account: the same key from another account is a new email', async () => {
    const key = newKey();
    const body = anEmail();

    const fromAlice = await submit(service.app, alice, body, key);
    const fromBob = await submit(service.app, bob, body, key);

    expect(fromBob.status).toBe(202);
    expect(fromBob.headers['idempotent-replayed']).toBeUndefined();
    expect(fromBob.body.id).not.toBe(fromAlice.body.id);
  });

  test('a key is remembered for IDEMPOTENCY_TTL_SECONDS: its Redis entry expires then', async () => {
    const carol = await signUp(service.app);
    await submit(service.app, carol);

    const keys = await service.redisKeys(`email-queue:idempotency:${carol.user.id}:*`);
    expect(keys).toHaveLength(1);
    const ttl = await service.redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan((service.config.IDEMPOTENCY_TTL_SECONDS - 60) * 1000);
    expect(ttl).toBeLessThanOrEqual(service.config.IDEMPOTENCY_TTL_SECONDS * 1000);
  });

  test('the same key while the first is still being queued answers 409', async () => {
    const key = newKey();
    const body = anEmail();
    const add = service.queue.add.bind(service.queue);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    service.queue.add = async (...args) => {
      entered = true;
      await held;
      return add(...args);
    };
    try {
      const first = submit(service.app, alice, body, key).then((response) => response);
      while (!entered) await new Promise((resolve) => setTimeout(resolve, 2));
      const during = await submit(service.app, alice, body, key);
      release();

      expect(during.status).toBe(409);
      expect((await first).status).toBe(202);
    } finally {
      service.queue.add = add;
    }
  });

  test('50 identical submits at once make exactly one job and one mail', async () => {
    const worker = service.startWorker({ smtpUrl: smtp.url });
    const body = anEmail({ to: unique('fifty') });
    const key = newKey();

    const responses = await Promise.all(Array.from({ length: 50 }, () => submit(service.app, alice, body, key)));

    expect(responses.every((response) => response.status === 202 || response.status === 409)).toBe(true);
    const emails = await Email.find({ to: body.to }).lean();
    expect(emails).toHaveLength(1);
    const id = String(emails[0]?._id);
    expect(new Set(responses.filter((response) => response.status === 202).map((response) => response.body.id))).toEqual(new Set([id]));
    await settled(id);
    await smtp.next(body.to);
    await worker.close();
    expect(smtp.mails.filter((mail) => mail.to.includes(body.to))).toHaveLength(1);
    expect(await service.queue.getJob(id)).toBeDefined();
  });
});

describe('GET /emails/:id', () => {
  test("another account's email answers 404, like one that never existed", async () => {
    const { body } = await submit(service.app, alice);

    const response = await request(service.app).get(`/emails/${body.id}`).set(bob.auth);

    expect(response.status).toBe(404);
  });

  test('the owner reads its status', async () => {
    const { body } = await submit(service.app, alice);

    const response = await request(service.app).get(`/emails/${body.id}`).set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: body.id, status: 'queued' });
  });
});
