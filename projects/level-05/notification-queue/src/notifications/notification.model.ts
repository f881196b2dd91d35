import mongoose from 'mongoose';
import { CHANNELS, TYPE_NAMES } from './notification-types.ts';

const notificationSchema = new mongoose.Schema(
  {
    recipient: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    type: { type: String, enum: TYPE_NAMES, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true, default: '' },
    /** The events it tells of: one, or the N events a digest summarises. */
    events: { type: [String], required: true },
    /**
     * What makes a notification unique: `event:<eventId>` or `digest:<digest id>`. Fan-out that
     * runs twice (a retried job) inserts it once.
     */
    source: { type: String, required: true },
    channels: { type: [String], enum: CHANNELS, required: true },
    /** Set by the in-app delivery: only then is it in the inbox (and counted unread). */
    inInbox: { type: Boolean, required: true, default: false },
    read: { type: Boolean, required: true, default: false },
  },
  { timestamps: true },
);

notificationSchema.index({ recipient: 1, source: 1 }, { unique: true });
// The inbox: one recipient's notifications, newest first (paginate() adds _id to break ties).
notificationSchema.index({ recipient: 1, inInbox: 1, createdAt: -1 });

export const Notification = mongoose.model('Notification', notificationSchema);
export type NotificationRecord = mongoose.InferSchemaType<typeof notificationSchema> & { _id: mongoose.Types.ObjectId };

const unreadCountSchema = new mongoose.Schema({
  // One counter per user, its _id the user's id: kept with $inc, never recomputed on read.
  _id: { type: mongoose.Schema.Types.ObjectId, required: true },
  unread: { type: Number, required: true, default: 0 },
});

export const UnreadCount = mongoose.model('UnreadCount', unreadCountSchema);
