import { pausableProxy, signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { aDelivery, deliveriesOf, expectProblem, rawSmtp, send, storedDelivery, testApp } from './support.ts';

const service = testApp();
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
