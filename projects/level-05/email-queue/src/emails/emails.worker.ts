import type { Mailer } from '@hub/core';
import { createQueue, createWorker, evenRate } from '@hub/core/queue';
import { UnrecoverableError, type Job } from 'bullmq';
import type { ServiceConfig } from '../config.ts';
import { Email, type EmailRecord } from './email.model.ts';
import type { EmailJob, EmailQueue } from './emails.service.ts';
import { SentRecord } from './sent-record.model.ts';

export const EMAIL_QUEUE = 'emails';

/** What the producer needs: the queue, with every job's attempts and exponential backoff. */
export function emailQueue(config: ServiceConfig): EmailQueue {
  return createQueue<EmailJob>(
    EMAIL_QUEUE,
    { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, timeoutMs: config.REDIS_TIMEOUT_MS },
    {
      attempts: config.SEND_ATTEMPTS,
      backoff: { type: 'exponential', delay: config.SEND_BACKOFF_MS },
      removeOnComplete: 1000,
      // Failed jobs stay: the dead-letter endpoints remove them on requeue or purge.
      removeOnFail: false,
    },
  );
}

/** The worker: sends at most SEND_RATE_PER_SECOND mails per second across all workers, evenly spaced (BullMQ's limiter lives in Redis). */
export function emailWorker(config: ServiceConfig, deps: DeliverDeps) {
  return createWorker<EmailJob, DeliveryResult>(EMAIL_QUEUE, deliverEmail(deps), {
    url: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    options: { limiter: evenRate(config.SEND_RATE_PER_SECOND) },
  });
}

export interface DeliverDeps {
  mailer: Pick<Mailer, 'send'>;
  now?: () => Date;
}

export type DeliveryResult = { outcome: 'sent' | 'already-sent'; messageId: string } | { outcome: 'skipped'; reason: string };

/** nodemailer's error: `responseCode` is the SMTP reply (550, 451…), absent when the server never answered (timeout, refused). */
interface SmtpError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** A 5xx reply is the server's final word (no such mailbox, refused): retrying cannot help. */
export const isPermanent = (error: SmtpError) =>
  typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600;

/**
 * One job: send the email once. The sent-record is looked up before sending and written right
 * after the SMTP server accepted, so a run of the same email again finds it and sends nothing.
 * The window that remains: a crash between the server's acceptance and that write (README).
 */
export function deliverEmail({ mailer, now = () => new Date() }: DeliverDeps) {
  return async function deliver(job: Job<EmailJob>): Promise<DeliveryResult> {
    const { emailId } = job.data;
    const email = await Email.findById(emailId).lean<EmailRecord>();
    if (!email) return { outcome: 'skipped', reason: 'the email was purged' };
    if (email.status === 'dead') return { outcome: 'skipped', reason: 'the email is dead-lettered' };
    const sent = await SentRecord.findById(emailId).lean();
    if (sent) {
      await markSent(emailId, sent.messageId, sent.sentAt);
      return { outcome: 'already-sent', messageId: sent.messageId };
    }
    await Email.updateOne({ _id: emailId }, { $inc: { attempts: 1 } });
    let messageId: string;
    try {
      ({ messageId } = await mailer.send({ to: email.to, subject: email.subject, text: email.text }));
    } catch (error) {
      throw await failed(job, error as SmtpError, now());
    }
    const sentAt = now();
    // 11000: another run of this email recorded it first (its lock had expired); the record stands.
    await SentRecord.create({ _id: emailId, messageId, sentAt }).catch((error: { code?: number }) => {
      if (error.code !== 11000) throw error;
    });
    await markSent(emailId, messageId, sentAt);
    return { outcome: 'sent', messageId };
  };
}

const markSent = (emailId: string, messageId: string, sentAt: Date) =>
  Email.updateOne({ _id: emailId }, { $set: { status: 'sent', messageId, sentAt, lastError: null } });

/**
 * Records the failure on the email; a permanent one, or the last attempt, dead-letters it. A
 * permanent one becomes an UnrecoverableError, so BullMQ fails the job without retrying.
 */
async function failed(job: Job<EmailJob>, error: SmtpError, at: Date): Promise<Error> {
  const permanent = isPermanent(error);
  const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const lastError = { code: error.code ?? 'unknown', smtpCode: error.responseCode ?? null, message: error.message ?? String(error) };
  await Email.updateOne(
    { _id: job.data.emailId, status: 'queued' },
    { $set: { lastError, ...(last ? { status: 'dead', deadAt: at } : {}) } },
  );
  return permanent ? new UnrecoverableError(`SMTP ${error.responseCode}: ${lastError.message}`) : (error as Error);
}
