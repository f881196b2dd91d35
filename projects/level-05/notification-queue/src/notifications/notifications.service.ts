import { notFound, paginate, type Page } from '@hub/core';
import mongoose from 'mongoose';
import { Delivery, type DeliveryRecord } from '../deliveries/delivery.model.ts';
import { Notification, UnreadCount, type NotificationRecord } from './notification.model.ts';
import type { DeliveryView, InboxQuery, NotificationView } from './notifications.schemas.ts';

// The inbox use cases. The unread count is a counter kept with $inc beside the notifications:
// every change of one notification from unread to read (or into the inbox) is one conditional
// update, and only the update that made the change moves the counter.

export const toView = (notification: NotificationRecord): NotificationView => ({
  id: String(notification._id),
  type: notification.type,
  title: notification.title,
  body: notification.body,
  events: notification.events.length,
  read: notification.read,
  createdAt: notification.createdAt.toISOString(),
});

const inboxOf = (recipient: string) => ({ recipient: new mongoose.Types.ObjectId(recipient), inInbox: true });
const noSuchNotification = (id: string) => notFound(`No notification with id ${id}.`);

/** Adds `by` to a user's unread counter, creating it at the first notification. */
export async function moveUnread(recipient: string, by: number): Promise<void> {
  if (by === 0) return;
  const bump = () => UnreadCount.updateOne({ _id: recipient }, { $inc: { unread: by } }, { upsert: true });
  // Two first notifications at once: both upserts insert, one gets 11000; it now exists, so once more.
  await bump().catch((error: { code?: number }) => (error.code === 11000 ? bump() : Promise.reject(error)));
}

export async function listInbox(recipient: string, { unread, ...page }: InboxQuery): Promise<Page<NotificationView>> {
  const filter = { ...inboxOf(recipient), ...(unread === undefined ? {} : { read: !unread }) };
  return paginate(Notification, { filter, sort: { createdAt: -1 }, map: toView }, page);
}

export async function unreadCount(recipient: string): Promise<{ unread: number }> {
  const counter = await UnreadCount.findById(recipient).lean();
  return { unread: counter?.unread ?? 0 };
}

/** Marks one read: only the update that finds it unread lowers the counter, so a repeat changes nothing. */
export async function markRead(recipient: string, id: string): Promise<NotificationView> {
  const marked = await Notification.findOneAndUpdate(
    { _id: id, ...inboxOf(recipient), read: false },
    { $set: { read: true } },
    { returnDocument: 'after' },
  ).lean<NotificationRecord>();
  if (marked) {
    await moveUnread(recipient, -1);
    return toView(marked);
  }
  const already = await Notification.findOne({ _id: id, ...inboxOf(recipient) }).lean<NotificationRecord>();
  if (!already) throw noSuchNotification(id);
  return toView(already);
}

/** Marks every unread one read; the counter goes down by exactly the number this update changed. */
export async function markAllRead(recipient: string): Promise<{ marked: number }> {
  const { modifiedCount } = await Notification.updateMany({ ...inboxOf(recipient), read: false }, { $set: { read: true } });
  await moveUnread(recipient, -modifiedCount);
  return { marked: modifiedCount };
}

const toDeliveryView = (delivery: DeliveryRecord): DeliveryView => ({
  channel: delivery.channel,
  status: delivery.status,
  attempts: delivery.attempts,
  reason: delivery.reason ?? null,
  sentAt: delivery.sentAt?.toISOString() ?? null,
});

/** Each channel's own status. The recipient's filter is on the delivery itself: someone else's is a 404. */
export async function deliveriesOf(recipient: string, id: string): Promise<{ items: DeliveryView[] }> {
  const deliveries = await Delivery.find({ notification: id, recipient }).sort({ channel: 1 }).lean<DeliveryRecord[]>();
  if (deliveries.length === 0) throw noSuchNotification(id);
  return { items: deliveries.map(toDeliveryView) };
}
