import { clientBody, Email as Address, IdParams, pageOf } from '@hub/core';
import { singleLine } from '@hub/core/mail-templates';
import { z } from 'zod';
import { EMAIL_STATUSES } from './email.model.ts';

export const EmailId = IdParams;

/** The Idempotency-Key header (IETF httpapi draft): required on POST /emails, so a retried submit is one mail. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(257).meta({ example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' }),
});

/** POST /emails: one plain-text mail. The address and the subject are one line each (400 naming the field otherwise). */
export const EmailInput = clientBody(
  z.object({
    to: singleLine(Address).meta({ example: 'ada@example.com' }),
    subject: singleLine(z.string().trim().min(1).max(200)).meta({ example: 'Your receipt' }),
    text: z.string().min(1).max(20_000).meta({ example: 'Thank you for your order.' }),
  }),
);
export type EmailInput = z.output<typeof EmailInput>;

export const EmailView = z
  .object({
    id: z.string().describe('the email, and the id of the job that sends it'),
    to: z.string(),
    subject: z.string(),
    status: z.enum(EMAIL_STATUSES),
    attempts: z.int().describe('SMTP hand-overs tried so far'),
    messageId: z.string().nullable().describe('the Message-ID the SMTP server accepted; null until sent'),
    lastError: z
      .object({
        code: z.string().describe('ECONNECTION, EENVELOPE, ETIMEDOUT, …'),
        smtpCode: z.int().nullable().describe("the SMTP server's reply code (550, 451…), null when it never answered"),
        message: z.string(),
      })
      .nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    deadAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Email' });
export type EmailView = z.infer<typeof EmailView>;

export const EmailPage = pageOf(EmailView, 'EmailPage');
