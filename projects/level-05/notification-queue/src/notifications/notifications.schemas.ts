import { IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../deliveries/delivery.model.ts';
import { CHANNELS, TYPE_NAMES } from './notification-types.ts';

export const NotificationId = IdParams;

/** GET /notifications: the shared limit, page and cursor, and unread=true|false. */
export const InboxQuery = pageQuery({
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: only unread ones; false: only read ones' }),
});
export type InboxQuery = z.output<typeof InboxQuery>;

export const NoQuery = z.strictObject({});

export const NotificationView = z
  .object({
    id: z.string(),
    type: z.enum(TYPE_NAMES),
    title: z.string(),
    body: z.string(),
    events: z.int().meta({ description: 'how many events it tells of: more than 1 for a digest' }),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationPage = pageOf(NotificationView, 'NotificationPage');

export const UnreadCountView = z.object({ unread: z.int() }).meta({ id: 'UnreadCount' });
export const MarkedView = z.object({ marked: z.int() }).meta({ id: 'Marked' });

export const DeliveryView = z
  .object({
    channel: z.enum(CHANNELS),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int(),
    reason: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.infer<typeof DeliveryView>;
export const DeliveryList = z.object({ items: z.array(DeliveryView) }).meta({ id: 'DeliveryList' });
