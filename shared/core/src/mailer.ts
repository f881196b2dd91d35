import type nodemailer from 'nodemailer';
import { z } from 'zod';
import { currentInspection, inspectMail } from './inspector.ts';
import { lazy } from './lazy.ts';
import { logger } from './logger.ts';

const loadNodemailer = lazy<typeof nodemailer>('nodemailer');

/** Keys a service that sends mail adds to its config. */
export const mailConfig = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .default('smtp://127.0.0.1:1025')
    .describe('where mail is handed over: Mailpit from docker compose, or the catcher `pnpm dev` starts'),
  MAIL_FROM: z.string().min(3).default('Backend Hub <no-reply@backend-hub.local>'),
};

export interface Mail {
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends mail over SMTP (nodemailer). `sendLater` hands a message over in the background, so a
 * request never waits on (or reveals anything through the timing of) the mail server; `close`
 * waits for those to finish, so a graceful shutdown loses none.
 */
export function createMailer({ SMTP_URL, MAIL_FROM }: { SMTP_URL: string; MAIL_FROM: string }) {
  const transport = loadNodemailer().createTransport(SMTP_URL);
  const pending = new Set<Promise<void>>();

  /** Resolves with the Message-ID once the SMTP server accepted the mail; rejects with nodemailer's error (its `code`, `responseCode`). */
  async function send(mail: Mail): Promise<{ messageId: string }> {
    inspectMail(mail);
    const info = await transport.sendMail({ from: MAIL_FROM, ...mail });
    return { messageId: info.messageId };
  }

  return {
    send,

    /**
     * Builds and sends a mail in the background, after the response: `compose` may look things
     * up and return nothing to send. A failure is logged (never the body: it may hold a secret
     * link), never thrown.
     */
    sendLater(compose: () => Promise<Mail | undefined>): void {
      const job: Promise<void> = compose()
        .then(async (mail) => {
          if (mail) await send(mail);
        })
        .catch((error: unknown) => {
          logger.error('mail not sent', { error });
        })
        .finally(() => pending.delete(job));
      pending.add(job);
      // The request's record waits for it, so the hub page shows the mail with its request.
      currentInspection()?.hold(job);
    },

    /** Resolves once every background send has finished. */
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    /** /ready: the SMTP server answers and accepts our greeting. */
    ready: () => transport.verify(),

    async close(): Promise<void> {
      await this.drain();
      transport.close();
    },
  };
}
export type Mailer = ReturnType<typeof createMailer>;
