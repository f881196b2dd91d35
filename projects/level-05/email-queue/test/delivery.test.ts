import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestSmtp, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Email } from '../src/emails/email.model.ts';
import { SentRecord } from '../src/emails/sent-record.model.ts';
import { anEmail, failingMailer, settled, submit, testApp } from './support.ts';

const service = testApp();
const smtp = useTestSmtp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(service.app), signUp(service.app)]);
});

describe('the worker', () => {
  test('sends a queued email over SMTP once, records it as sent, and writes its sent-record', async () => {
    const worker = service.startWorker({ smtpUrl: smtp.url });
    const body = anEmail();

    const { body: queued } = await submit(service.app, alice, body);
    const mail = await smtp.next(body.to);
    const email = await settled(queued.id);
    await worker.close();

    expect(mail.subject).toBe(body.subject);
    expect(mail.text.trim()).toBe(body.text);
    expect(email).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await SentRecord.findById(queued.id).lean())?.messageId).toBe(email.messageId);
  });

  test('a permanent SMTP refusal (5xx) dead-letters the email at once: one attempt, no retry', async () => {
    const refusing = failingMailer({ code: 'EENVELOPE', responseCode: 550, message: '550 5.1.1 no such mailbox' });
    const worker = service.startWorker({ mailer: refusing.mailer });
    // The email is dead-lettered in MongoDB before BullMQ records the job's failure: wait for both.
    const jobFailed = new Promise((done) => worker.on('failed', done));

    const { body: queued } = await submit(service.app, alice);
    const email = await settled(queued.id);
    await jobFailed;
    const job = await service.queue.getJob(queued.id);
    await worker.close();

    expect(email).toMatchObject({ status: 'dead', attempts: 1, lastError: { code: 'EENVELOPE', smtpCode: 550 } });
    expect(refusing.calls).toBe(1);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
  });

  test.each([
    ['a temporary refusal (4xx)', { code: 'EENVELOPE', responseCode: 451, message: '451 try again later' }],
    ['a timeout', { code: 'ETIMEDOUT', message: 'Connection timeout' }],
  ])('%s is retried with backoff up to 6 attempts, then dead-lettered', async (_case, error) => {
    const flaky = failingMailer(error);
    const worker = service.startWorker({ mailer: flaky.mailer });

    const { body: queued } = await submit(service.app, alice);
    const email = await settled(queued.id);
    await worker.close();

    expect(flaky.calls).toBe(6);
    expect(email).toMatchObject({ status: 'dead', attempts: 6, lastError: { code: error.code } });
  });

  test('a temporary failure that clears is sent on a later attempt', async () => {
    const flaky = failingMailer({ code: 'EENVELOPE', responseCode: 421, message: '421 busy' }, 2);
    const worker = service.startWorker({ mailer: flaky.mailer });

    const { body: queued } = await submit(service.app, alice);
    const email = await settled(queued.id);
    await worker.close();

    expect(email).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(flaky.sent).toHaveLength(1);
  });

  test('sends at most SEND_RATE_PER_SECOND mails per second: the worker carries BullMQ’s limiter', async () => {
    const worker = service.startWorker({ mailer: failingMailer({ code: 'x', message: 'x' }, 0).mailer });
    await worker.close();

    // One mail per 100 ms, not ten per second: BullMQ's windows are fixed, and 10 + 10 across a boundary is a burst (bench/email-queue).
    expect(worker.opts.limiter).toEqual({ max: 1, duration: 100 });
  });
});

describe('/dead-letters', () => {
  const deadOf = async (account: TestAccount) => {
    const refusing = failingMailer({ code: 'EENVELOPE', responseCode: 550, message: '550 no such mailbox' });
    const worker = service.startWorker({ mailer: refusing.mailer });
    const { body } = await submit(service.app, account);
    await settled(body.id);
    await worker.close();
    return body.id as string;
  };

  test("lists the owner's dead emails only; an admin sees everyone's", async () => {
    const [mine, theirs] = [await deadOf(alice), await deadOf(bob)];

    const own = await request(service.app).get('/dead-letters').set(alice.auth);
    const admin = await request(service.app).get('/dead-letters?limit=100').set(service.adminAuth());

    const ids = (response: request.Response) => response.body.items.map((item: { id: string }) => item.id);
    expect(own.status).toBe(200);
    expect(ids(own)).toContain(mine);
    expect(ids(own)).not.toContain(theirs);
    expect(ids(admin)).toEqual(expect.arrayContaining([mine, theirs]));
  });

  test('requeue queues a dead email again with attempts from zero, and it is sent', async () => {
    const id = await deadOf(alice);
    const worker = service.startWorker({ mailer: failingMailer({ code: 'x', message: 'x' }, 0).mailer });

    const response = await request(service.app).post(`/dead-letters/${id}/requeue`).set(alice.auth);
    const email = await settled(id, ['sent']);
    await worker.close();

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id, status: 'queued', attempts: 0, lastError: null });
    expect(email.requeues).toBe(1);
  });

  test("requeue of another account's email answers 404; of one that is not dead, 409", async () => {
    const dead = await deadOf(bob);
    const { body: queued } = await submit(service.app, alice);

    const stranger = await request(service.app).post(`/dead-letters/${dead}/requeue`).set(alice.auth);
    const notDead = await request(service.app).post(`/dead-letters/${queued.id}/requeue`).set(alice.auth);

    expect(stranger.status).toBe(404);
    expect(notDead.status).toBe(409);
    expect((await Email.findById(dead).lean())?.status).toBe('dead');
  });

  test("purge deletes the caller's dead emails and their failed jobs, and nobody else's", async () => {
    const [mine, theirs] = [await deadOf(alice), await deadOf(bob)];

    const response = await request(service.app).delete('/dead-letters').set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body.purged).toBeGreaterThanOrEqual(1);
    expect(await Email.exists({ _id: mine })).toBeNull();
    expect(await service.queue.getJob(mine)).toBeUndefined();
    expect(await Email.exists({ _id: theirs })).not.toBeNull();
  });

  test('without a token, answers 401', async () => {
    expect((await request(service.app).get('/dead-letters')).status).toBe(401);
  });
});
