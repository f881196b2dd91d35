import { notFound, ownedBy, type Principal } from '@hub/core';
import type { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { Email, type EmailRecord } from './email.model.ts';
import type { EmailInput, EmailView } from './emails.schemas.ts';

// The use cases of /emails: database work and the queue, no req or res.

/** What a job carries: only the email's id; the worker reads the rest from MongoDB. */
export interface EmailJob {
  emailId: string;
}
export type EmailQueue = Queue<EmailJob>;

/** The BullMQ job that carries an email: its id at first, `<id>-<n>` after its n-th requeue (a job id is used once). */
export const jobIdOf = (email: { _id: unknown; requeues: number }) =>
  email.requeues === 0 ? String(email._id) : `${String(email._id)}-${email.requeues}`;

/** What the API shows of a stored email: `id`, never `_id`, `owner` or the body text. */
export const toView = (email: EmailRecord): EmailView => ({
  id: String(email._id),
  to: email.to,
  subject: email.subject,
  status: email.status,
  attempts: email.attempts,
  messageId: email.messageId ?? null,
  lastError: email.lastError
    ? { code: email.lastError.code ?? 'unknown', smtpCode: email.lastError.smtpCode ?? null, message: email.lastError.message ?? '' }
    : null,
  createdAt: email.createdAt.toISOString(),
  sentAt: email.sentAt?.toISOString() ?? null,
  deadAt: email.deadAt?.toISOString() ?? null,
});

/**
 * Stores the email, then queues the job that sends it. If Redis refuses the job, the email is
 * removed again and the error answers 503, so nothing is left that no worker will ever send.
 */
export async function enqueueEmail(queue: EmailQueue, principal: Principal, input: EmailInput): Promise<EmailView> {
  const email = await Email.create({ ...input, _id: new mongoose.Types.ObjectId(), owner: principal.id });
  try {
    await queue.add('send', { emailId: String(email._id) }, { jobId: jobIdOf(email) });
  } catch (error) {
    await Email.deleteOne({ _id: email._id });
    throw error;
  }
  return toView(email.toObject());
}

/** The owner is part of the filter, so another account's email simply does not match: 404, never 403. */
export async function readEmail(principal: Principal, id: string): Promise<EmailView> {
  const email = await Email.findOne({ _id: id, ...ownedBy(principal) }).lean<EmailRecord>();
  if (!email) throw notFound(`No email with id ${id}.`);
  return toView(email);
}
