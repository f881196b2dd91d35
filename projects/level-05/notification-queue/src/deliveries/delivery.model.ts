import mongoose from 'mongoose';
import { CHANNELS } from '../notifications/notification-types.ts';

export const DELIVERY_STATUSES = ['queued', 'sending', 'retrying', 'sent', 'skipped', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const deliverySchema = new mongoose.Schema(
  {
    notification: { type: mongoose.Schema.Types.ObjectId, ref: 'Notification', required: true },
    recipient: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true, default: 'queued' },
    attempts: { type: Number, required: true, default: 0 },
    /** Why it was skipped, or the last error. */
    reason: { type: String },
    /** While `sending`: after this, a crashed worker's claim may be taken over. */
    leaseUntil: { type: Date },
    sentAt: { type: Date },
  },
  { timestamps: true },
);

// The idempotency key of delivery: one record per (notification, channel), claimed by one handler at a time.
deliverySchema.index({ notification: 1, channel: 1 }, { unique: true });

export const Delivery = mongoose.model('Delivery', deliverySchema);
export type DeliveryRecord = mongoose.InferSchemaType<typeof deliverySchema> & { _id: mongoose.Types.ObjectId };
