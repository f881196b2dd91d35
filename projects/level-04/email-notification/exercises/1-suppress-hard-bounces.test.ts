// Exercise 1: a recipient the SMTP server refuses for good (5xx) is suppressed, so it is never tried again.
import { signUp } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Suppression } from '../src/suppressions/suppression.model.ts';
import { aDelivery, expectProblem, rawSmtp, send, testApp, unique } from '../test/support.ts';

const service = testApp();
let permanent: Awaited<ReturnType<typeof rawSmtp>>;
let temporary: Awaited<ReturnType<typeof rawSmtp>>;

beforeAll(async () => {
  permanent = await rawSmtp({ rejectRecipients: '550 5.1.1 No such mailbox here' });
  temporary = await rawSmtp({ rejectRecipients: '451 4.3.0 Try again later' });
});
afterAll(async () => {
  await Promise.all([permanent.close(), temporary.close()]);
});

describe('exercise 1: hard bounces join the suppression list', () => {
  test("after a 550 for an address, it is on the sender's suppression list as bounced, and the next send is refused without SMTP", async () => {
    const bouncing = service.build({ smtpUrl: permanent.url });
    const account = await signUp(service.app);
    const to = unique();

    const first = await send(bouncing, account, aDelivery({ to }));
    const second = await send(service.app, account, aDelivery({ to }));

    expect(first.status).toBe(502);
    expect(await Suppression.find({ owner: account.user.id, email: to }).lean()).toEqual([expect.objectContaining({ reason: 'bounced' })]);
    expectProblem(second, 422, 'recipient-suppressed', ['to']);
    expect(service.smtp.mails.filter((mail) => mail.to.includes(to))).toHaveLength(0);
  });

  test('a temporary refusal (451) and a server that is down suppress nothing: the next send goes out', async () => {
    const account = await signUp(service.app);
    const to = unique();

    const refused = await send(service.build({ smtpUrl: temporary.url }), account, aDelivery({ to }));
    const down = await send(service.build({ smtpUrl: 'smtp://127.0.0.1:1' }), account, aDelivery({ to }));
    const later = await send(service.app, account, aDelivery({ to }));

    expect([refused.status, down.status, later.status]).toEqual([502, 502, 201]);
    expect(await Suppression.countDocuments({ owner: account.user.id })).toBe(0);
  });

  test("another account's sends to the same address are not held back by it", async () => {
    const [bounced, other] = await Promise.all([signUp(service.app), signUp(service.app)]);
    const to = unique();
    await send(service.build({ smtpUrl: permanent.url }), bounced, aDelivery({ to }));

    const response = await send(service.app, other, aDelivery({ to }));

    expect(response.status).toBe(201);
  });

  test('five sends that bounce at the same moment answer 502 each and leave one entry', async () => {
    const account = await signUp(service.app);
    const to = unique();
    const bouncing = service.build({ smtpUrl: permanent.url });

    const responses = await Promise.all(Array.from({ length: 5 }, () => send(bouncing, account, aDelivery({ to }))));

    expect(responses.map((response) => response.status)).toEqual([502, 502, 502, 502, 502]);
    expect(await Suppression.countDocuments({ owner: account.user.id, email: to })).toBe(1);
  });
});
