import { signUp, type TestAccount } from '@hub/testkit';
import { beforeAll, describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import {
  aDelivery,
  deliveriesOf,
  expectProblem,
  linksIn,
  passwordChangedVariables,
  rawSmtp,
  receiptVariables,
  send,
  storedDelivery,
  testApp,
  unique,
  welcomeVariables,
} from './support.ts';

const service = testApp();
let ada: TestAccount;

beforeAll(async () => {
  ada = await signUp(service.app);
});

/** Mails the in-process SMTP server received for `to`, so far. */
const mailsTo = (to: string) => service.smtp.mails.filter((mail) => mail.to.includes(to));

describe('POST /deliveries', () => {
  test.each([
    ['welcome', welcomeVariables(), 'Welcome, Ada Lovelace', 'https://app.example.com/login'],
    ['receipt', receiptVariables(), 'Your receipt for order A-1042', 'https://app.example.com/orders/A-1042'],
    ['password-changed', passwordChangedVariables(), 'Your password was changed', 'https://app.example.com/forgot-password'],
  ])(
    'the %s mail arrives over SMTP with its recipient, subject and link; answers 201 with the delivery sent and its Message-ID',
    async (template, variables, subject, link) => {
      const to = unique();

      const response = await send(service.app, ada, { template, to, variables });
      const mail = await service.smtp.next(to);

      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`/deliveries/${response.body.id}`);
      expect(response.body).toMatchObject({
        template,
        to,
        subject,
        status: 'sent',
        messageId: expect.stringMatching(/^<.+@.+>$/),
        error: null,
      });
      expect(mail.to).toEqual([to]);
      expect(mail.from).toBe('no-reply@backend-hub.local');
      expect(mail.subject).toBe(subject);
      expect(linksIn(mail.text)).toContain(link);
      expect(mail.html).toContain(`href="${link}"`);
      const stored = await storedDelivery(response.body.id);
      expect(stored).toMatchObject({ status: 'sent', messageId: response.body.messageId, to, subject });
      expect(String(stored?.owner)).toBe(ada.user.id);
      expect(stored?.sentAt).toBeInstanceOf(Date);
    },
  );

  test('the receipt lists each line and the total, computed from the lines', async () => {
    const to = unique();

    await send(service.app, ada, { template: 'receipt', to, variables: receiptVariables() });
    const mail = await service.smtp.next(to);

    expect(mail.text).toContain('2 × Blue mug: €25.00');
    expect(mail.text).toContain('Total: €29.99');
    expect(mail.html).toContain('€29.99');
  });

  test('a script tag in a variable arrives HTML-escaped in the HTML part, and as written in the text part', async () => {
    const to = unique();
    const name = '<script>alert("x")</script>';

    const response = await send(service.app, ada, { template: 'welcome', to, variables: welcomeVariables({ name }) });
    const mail = await service.smtp.next(to);

    expect(response.status).toBe(201);
    expect(mail.html).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain(`Hello ${name},`);
  });

  test('the mail crosses the wire as multipart/alternative (a text/plain and a text/html part), with From, To and Reply-To', async () => {
    const wire = await rawSmtp();
    const app = service.build({ smtpUrl: wire.url });
    const account = await signUp(app);
    const to = unique();

    const response = await send(app, account, aDelivery({ to, replyTo: 'Support@Example.com' }));
    await wire.close();

    expect(response.status).toBe(201);
    expect(wire.messages).toHaveLength(1);
    const [raw = ''] = wire.messages;
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
    expect(raw).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
    expect(raw).toMatch(/^From: Backend Hub <no-reply@backend-hub\.local>\r$/m);
    expect(raw).toContain(`\r\nTo: ${to}\r\n`);
    expect(raw).toContain('\r\nReply-To: support@example.com\r\n');
  });

  test('a subject override is used when given; the recipient is stored as signup stores an email (trimmed, lower case)', async () => {
    const to = unique();

    const response = await send(service.app, ada, aDelivery({ to: ` ${to.toUpperCase()} `, subject: 'Welcome aboard' }));
    const mail = await service.smtp.next(to);

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ to, subject: 'Welcome aboard' });
    expect(mail.subject).toBe('Welcome aboard');
  });
});

describe('POST /deliveries with variables that do not fit the template', () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ['a variable is missing', aDelivery({ variables: { loginUrl: 'https://app.example.com/login' } }), ['variables.name']],
    ['no variables at all', aDelivery({ variables: undefined }), ['variables.loginUrl', 'variables.name']],
    ['a link is javascript:', aDelivery({ variables: welcomeVariables({ loginUrl: 'javascript:alert(1)' }) }), ['variables.loginUrl']],
    ['a variable has the wrong type', aDelivery({ variables: welcomeVariables({ name: 42 }) }), ['variables.name']],
    ['an unknown variable is sent', aDelivery({ variables: welcomeVariables({ colour: 'red' }) }), ['variables.colour']],
    [
      'a nested variable is wrong',
      aDelivery({ template: 'receipt', variables: receiptVariables({ items: [{ description: 'Mug', quantity: 0, unitPriceCents: 1 }] }) }),
      ['variables.items.0.quantity'],
    ],
    [
      'a name for the subject has CR LF in it',
      aDelivery({ variables: welcomeVariables({ name: 'Ada\r\nBcc: eve@example.com' }) }),
      ['variables.name'],
    ],
  ])('when %s, answers 422 problem+json naming the paths, sends nothing and records nothing', async (_case, body, fields) => {
    const before = (await deliveriesOf(ada)).length;

    const response = await send(service.app, ada, body);

    expectProblem(response, 422, 'invalid-template-variables', fields);
    expect(response.body.errors.every((error: { in: string }) => error.in === 'body')).toBe(true);
    expect(mailsTo(String(body.to))).toHaveLength(0);
    expect(await deliveriesOf(ada)).toHaveLength(before);
  });
});

describe('POST /deliveries with CR or LF in a header field', () => {
  test.each([
    ['to', 'CR LF and a Bcc header', { to: 'ada@example.com\r\nBcc: eve@example.com' }],
    ['to', 'a trailing LF (which trimming would hide)', { to: 'ada@example.com\n' }],
    ['replyTo', 'CR LF and a Bcc header', { replyTo: 'ada@example.com\r\nBcc: eve@example.com' }],
    ['subject', 'CR LF and a Bcc header', { subject: 'Hello\r\nBcc: eve@example.com' }],
    ['subject', 'a trailing LF (which trimming would hide)', { subject: 'Hello\n' }],
  ])('when %s has %s, answers 400 naming it, sends nothing and records nothing', async (field, _case, fields) => {
    const before = (await deliveriesOf(ada)).length;

    const response = await send(service.app, ada, aDelivery(fields));

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', field })]));
    expect(service.smtp.mails.filter((mail) => mail.to.includes('eve@example.com'))).toHaveLength(0);
    expect(await deliveriesOf(ada)).toHaveLength(before);
  });
});

describe('the suppression list', () => {
  let bob: TestAccount;
  beforeAll(async () => {
    bob = await signUp(service.app);
  });

  test('a suppressed address is not sent to: 422 recipient-suppressed naming to, and the delivery is recorded as suppressed', async () => {
    const to = unique();
    await request(service.app).post('/suppressions').set(bob.auth).send({ email: to.toUpperCase(), reason: 'unsubscribed' });
    const marker = unique('marker');

    const response = await send(service.app, bob, aDelivery({ to }));
    await send(service.app, bob, aDelivery({ to: marker }));
    await service.smtp.next(marker);

    expectProblem(response, 422, 'recipient-suppressed', ['to']);
    expect(mailsTo(to)).toHaveLength(0);
    const recorded = await Delivery.find({ owner: bob.user.id, to }).lean();
    expect(recorded).toEqual([expect.objectContaining({ status: 'suppressed', messageId: null, template: 'welcome' })]);
    expect(response.body.detail).toContain(String(recorded[0]?._id));
  });

  test("one account's suppression list does not hold back another's mail to the same address", async () => {
    const to = unique();
    await request(service.app).post('/suppressions').set(bob.auth).send({ email: to });

    const response = await send(service.app, ada, aDelivery({ to }));

    expect(response.status).toBe(201);
    expect((await service.smtp.next(to)).to).toEqual([to]);
  });

  test('once the address is removed from the list, it is sent to again', async () => {
    const to = unique();
    const added = await request(service.app).post('/suppressions').set(bob.auth).send({ email: to });
    expect((await send(service.app, bob, aDelivery({ to }))).status).toBe(422);

    const removed = await request(service.app).delete(`/suppressions/${added.body.id}`).set(bob.auth);
    const response = await send(service.app, bob, aDelivery({ to }));

    expect(removed.status).toBe(204);
    expect(response.status).toBe(201);
    expect((await service.smtp.next(to)).subject).toBe('Welcome, Ada Lovelace');
  });
});

describe('POST /templates/:name/preview', () => {
  test('renders subject, text and escaped HTML; nothing reaches the SMTP server and nothing is recorded', async () => {
    const mailsBefore = service.smtp.mails.length;
    const deliveriesBefore = await Delivery.countDocuments();

    const response = await request(service.app)
      .post('/templates/welcome/preview')
      .set(ada.auth)
      .send({ variables: welcomeVariables({ name: '<b>Ada</b>' }) });
    // A real send after it, waited for: had the preview sent anything, it would be there by now.
    const marker = unique('marker');
    await send(service.app, ada, aDelivery({ to: marker }));
    await service.smtp.next(marker);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      template: 'welcome',
      subject: 'Welcome, <b>Ada</b>',
      text: expect.stringContaining('https://app.example.com/login'),
      html: expect.stringContaining('Hello &lt;b&gt;Ada&lt;/b&gt;,'),
    });
    expect(service.smtp.mails.length).toBe(mailsBefore + 1);
    expect(await Delivery.countDocuments()).toBe(deliveriesBefore + 1);
  });

  test('a subject override is previewed as sent', async () => {
    const response = await request(service.app)
      .post('/templates/password-changed/preview')
      .set(ada.auth)
      .send({ variables: passwordChangedVariables(), subject: 'Security notice' });

    expect(response.status).toBe(200);
    expect(response.body.subject).toBe('Security notice');
    expect(linksIn(response.body.text)).toEqual(['https://app.example.com/forgot-password']);
  });

  test('variables that do not fit answer the same 422 as a send, naming the paths', async () => {
    const response = await request(service.app)
      .post('/templates/receipt/preview')
      .set(ada.auth)
      .send({ variables: receiptVariables({ currency: 'XYZ', items: [] }) });

    expectProblem(response, 422, 'invalid-template-variables', ['variables.currency', 'variables.items']);
  });

  test('an unknown template answers 404 problem+json', async () => {
    const response = await request(service.app).post('/templates/newsletter/preview').set(ada.auth).send({ variables: {} });

    expectProblem(response, 404, 'not-found');
  });
});

describe('GET /templates', () => {
  test('lists welcome, receipt and password-changed, each with its variables as JSON Schema', async () => {
    const response = await request(service.app).get('/templates').set(ada.auth);

    expect(response.status).toBe(200);
    expect(response.body.templates.map((template: { name: string }) => template.name)).toEqual(['welcome', 'receipt', 'password-changed']);
    const receipt = (await request(service.app).get('/templates/receipt').set(ada.auth)).body;
    expect(receipt.variables).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'orderId', 'currency', 'items', 'receiptUrl']),
    });
  });
});
