import { describe, expect, test } from '@jest/globals';
import { useTestSmtp } from '@hub/testkit';
import { createMailer } from '../src/index.ts';
import { captureLogs } from './support.ts';

const smtp = useTestSmtp();
const mailerFor = (url: string) => createMailer({ SMTP_URL: url, MAIL_FROM: 'Backend Hub <no-reply@backend-hub.local>' });

describe('createMailer()', () => {
  test('send() hands the mail to the SMTP server: from, to, subject and text arrive', async () => {
    const mailer = mailerFor(smtp.url);

    await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: 'Line one\nhttps://example.com/x?token=abc' });
    const mail = await smtp.next('ada@example.com');
    await mailer.close();

    expect(mail).toMatchObject({ from: 'no-reply@backend-hub.local', to: ['ada@example.com'], subject: 'Hello' });
    expect(mail.text).toContain('https://example.com/x?token=abc');
  });

  test('sendLater() composes in the background; drain() waits for it; composing nothing sends nothing', async () => {
    const mailer = mailerFor(smtp.url);

    mailer.sendLater(async () => ({ to: 'later@example.com', subject: 'Later', text: 'sent after the caller moved on' }));
    mailer.sendLater(async () => undefined);
    await mailer.drain();

    expect((await smtp.next('later@example.com', 100)).subject).toBe('Later');
    expect(smtp.mails.filter((mail) => mail.to.includes('later@example.com'))).toHaveLength(1);
    await mailer.close();
  });

  test('a failed background send is logged without the body, never thrown', async () => {
    const logs = captureLogs();
    const mailer = mailerFor('smtp://127.0.0.1:1');

    mailer.sendLater(async () => ({ to: 'nobody@example.com', subject: 'Secret', text: 'reset link with a token' }));
    await mailer.drain();
    await logs.waitFor(1);
    logs.restore();

    expect(logs.json()[0]).toMatchObject({ level: 'error', message: 'mail not sent' });
    expect(logs.lines.join('\n')).not.toContain('reset link with a token');
    await mailer.close();
  });

  test('ready() resolves when the SMTP server answers and rejects when it does not', async () => {
    await expect(mailerFor(smtp.url).ready()).resolves.toBe(true);
    await expect(mailerFor('smtp://127.0.0.1:1').ready()).rejects.toThrow();
  });
});
