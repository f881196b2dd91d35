import { User, type Mailer } from '@hub/core';
import type { Types } from 'mongoose';
import { Notification, type NotificationRecord } from '../notifications/notification.model.ts';
import { NOTIFICATION_TYPES, type Channel } from '../notifications/notification-types.ts';
import { moveUnread, toView } from '../notifications/notifications.service.ts';
import type { Push } from '../notifications/live-inbox.ts';
import { Preference } from '../preferences/preference.model.ts';
import { Delivery, type DeliveryStatus } from './delivery.model.ts';

// One channel's delivery of one notification: the handler of a `deliver` job. BullMQ may run it
// more than once (a retry, a stalled job taken over), so the delivery record is the guard: a
// handler works only after its conditional update claimed the record, and a record already
// sent, skipped or being sent is left alone.

export interface DeliverDeps {
  mailer: Pick<Mailer, 'send'>;
  push: Push;
  now: () => Date;
  /** How long a claim holds before another handler may take it over (JOB_LOCK_MS). */
  leaseMs: number;
}

export type DeliverOutcome = { status: 'sent' | 'skipped'; reason?: string } | { status: 'duplicate' };

/** Thrown for a failed attempt: BullMQ retries the job; `final` says it was the last try. */
export class DeliveryFailed extends Error {}

const send: Record<Channel, (notification: NotificationRecord, deps: DeliverDeps) => Promise<string | undefined>> = {
  /** Into the inbox (once: the update's filter says "not yet"), counted unread, pushed to open streams. */
  async in_app(notification, { push }) {
    const recipient = String(notification.recipient);
    const { modifiedCount } = await Notification.updateOne({ _id: notification._id, inInbox: false }, { $set: { inInbox: true } });
    if (modifiedCount === 1) await moveUnread(recipient, 1);
    await push(recipient, toView({ ...notification, inInbox: true }));
    return undefined;
  },
  async email(notification, { mailer }) {
    const user = await User.findById(notification.recipient).lean();
    if (!user) return 'the recipient has no account';
    await mailer.send({ to: user.email, subject: notification.title, text: notification.body || notification.title });
    return undefined;
  },
};

/** Preferences are read now, at send time: an opt-out after the event was queued still counts. */
async function optedOut(recipient: Types.ObjectId, type: string, channel: Channel): Promise<boolean> {
  const muted = await Preference.exists({ _id: recipient, $or: [{ mutedChannels: channel }, { mutedTypes: `${type}/${channel}` }] });
  return muted !== null;
}

export async function deliver(
  { notification: id, channel }: { notification: string; channel: Channel },
  { finalAttempt, ...deps }: DeliverDeps & { finalAttempt: boolean },
): Promise<DeliverOutcome> {
  const now = deps.now();
  const claimed = await Delivery.findOneAndUpdate(
    { notification: id, channel, $or: [{ status: { $in: ['queued', 'retrying'] } }, { status: 'sending', leaseUntil: { $lt: now } }] },
    { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + deps.leaseMs) }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) return { status: 'duplicate' };
  const finish = (status: DeliveryStatus, reason?: string) =>
    Delivery.updateOne(
      { _id: claimed._id, status: 'sending' },
      { $set: { status, ...(reason ? { reason } : {}), ...(status === 'sent' ? { sentAt: deps.now() } : {}) }, $unset: { leaseUntil: 1 } },
    );

  const notification = await Notification.findById(id).lean<NotificationRecord>();
  if (!notification) return skip('the notification no longer exists');
  const critical = NOTIFICATION_TYPES[notification.type].critical;
  if (!critical && (await optedOut(notification.recipient, notification.type, channel)))
    return skip(`the recipient opted out of ${channel} for ${notification.type}`);
  let skipped: string | undefined;
  try {
    skipped = await send[channel](notification, deps);
  } catch (error) {
    const reason = (error as Error).message;
    await finish(finalAttempt ? 'failed' : 'retrying', reason);
    throw new DeliveryFailed(`${channel} delivery of ${id}: ${reason}`, { cause: error });
  }
  if (skipped) return skip(skipped);
  await finish('sent');
  return { status: 'sent' };

  async function skip(reason: string): Promise<DeliverOutcome> {
    await finish('skipped', reason);
    return { status: 'skipped', reason };
  }
}
