import { conflict, notFound, ownedBy, paginate, type Page, type PageParams, type Principal } from '@hub/core';
import { Email, type EmailRecord } from '../emails/email.model.ts';
import type { EmailView } from '../emails/emails.schemas.ts';
import { jobIdOf, toView, type EmailQueue } from '../emails/emails.service.ts';

// The dead letters: emails no attempt could send. Their owner sees and handles their own; an admin sees everyone's.

const scopeOf = (principal: Principal): Record<string, string> => (principal.role === 'admin' ? {} : ownedBy(principal));

export async function listDeadLetters(principal: Principal, page: PageParams): Promise<Page<EmailView>> {
  return paginate(Email, { filter: { ...scopeOf(principal), status: 'dead' }, sort: { deadAt: -1 }, map: toView }, page);
}

/**
 * A dead email is queued again under a new job id (BullMQ keeps the failed job's id taken).
 * The precondition `status: 'dead'` is in the update's filter, so two requeues at once make one job.
 */
export async function requeueDeadLetter(queue: EmailQueue, principal: Principal, id: string): Promise<EmailView> {
  const filter = { _id: id, ...scopeOf(principal) };
  const email = await Email.findOneAndUpdate(
    { ...filter, status: 'dead' },
    { $set: { status: 'queued', attempts: 0, lastError: null, deadAt: null }, $inc: { requeues: 1 } },
    { returnDocument: 'after' },
  ).lean<EmailRecord>();
  if (!email) {
    if (await Email.exists(filter)) throw conflict(`Email ${id} is not dead-lettered: only a dead email can be requeued.`);
    throw notFound(`No email with id ${id}.`);
  }
  await queue.remove(jobIdOf({ _id: email._id, requeues: email.requeues - 1 }));
  await queue.add('send', { emailId: id }, { jobId: jobIdOf(email) });
  return toView(email);
}

/** Deletes the caller's dead emails (an admin's: all of them) and their failed jobs; answers how many. */
export async function purgeDeadLetters(queue: EmailQueue, principal: Principal): Promise<{ purged: number }> {
  const dead = await Email.find({ ...scopeOf(principal), status: 'dead' }, { _id: 1, requeues: 1 }).lean<EmailRecord[]>();
  const { deletedCount } = await Email.deleteMany({ _id: { $in: dead.map((email) => email._id) }, status: 'dead' });
  await Promise.all(dead.map((email) => queue.remove(jobIdOf(email))));
  return { purged: deletedCount };
}
