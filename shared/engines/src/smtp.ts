import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the catcher received it. */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
  receivedAt: Date;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port> */
  url: string;
  description: string;
  /** Every mail received so far, oldest first. */
  readonly mails: readonly CaughtMail[];
  /** The first mail to `to` (from now on, or already received and not yet taken), waiting up to `timeoutMs`. */
  next(to: string, timeoutMs?: number): Promise<CaughtMail>;
  stop(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on a loopback port that keeps every message instead of
 * delivering it: what `pnpm dev` and the tests use where Mailpit (docker compose) is not running.
 * Any sender and recipient are accepted, no authentication, no TLS: loopback only.
 */
export async function startMailCatcher({
  port = 0,
  onMail,
}: { port?: number; onMail?: (mail: CaughtMail) => void } = {}): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const waiting = new Set<{ to: string; deliver: (mail: CaughtMail) => void }>();
  const addressedTo = (mail: CaughtMail, to: string) => mail.to.some((address) => address.toLowerCase() === to.toLowerCase());

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Backend Hub mail catcher',
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : undefined,
            receivedAt: new Date(),
          };
          mails.push(mail);
          onMail?.(mail);
          for (const waiter of waiting) {
            if (!taken.has(mail) && addressedTo(mail, waiter.to)) {
              taken.add(mail);
              waiting.delete(waiter);
              waiter.deliver(mail);
            }
          }
          done();
        })
        .catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    description: `mail catcher on port ${address.port} (mails are printed here, not delivered)`,
    mails,
    next(to, timeoutMs = 5_000) {
      const ready = mails.find((mail) => !taken.has(mail) && addressedTo(mail, to));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          to,
          deliver: (mail: CaughtMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiting.delete(waiter);
          reject(new Error(`No mail to ${to} arrived within ${timeoutMs} ms.`));
        }, timeoutMs);
        waiting.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
