import mongoose from 'mongoose';

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'suppressed'] as const;

const deliverySchema = new mongoose.Schema(
  {
    // Set from the token, never from the body; every query filters on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    template: { type: String, required: true },
    to: { type: String, required: true },
    // The subject only: the body can hold a secret link (a reset), so it is never stored.
    subject: { type: String, required: true },
    // queued until the SMTP server answers; then sent or failed. suppressed: never handed over.
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    // The Message-ID the SMTP server accepted, once sent.
    messageId: { type: String, default: null },
    // Why it failed: nodemailer's code (ECONNECTION, EENVELOPE…), the SMTP reply code and line when there was one.
    error: {
      type: new mongoose.Schema({ code: String, smtpCode: Number, response: String }, { _id: false }),
      default: null,
    },
    sentAt: { type: Date, default: null },
    failedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// The delivery log: one owner's deliveries, newest first, optionally by status (paginate() adds _id to break ties).
deliverySchema.index({ owner: 1, createdAt: -1 });
deliverySchema.index({ owner: 1, status: 1, createdAt: -1 });

export const Delivery = mongoose.model('Delivery', deliverySchema);
export type DeliveryRecord = mongoose.InferSchemaType<typeof deliverySchema> & { _id: mongoose.Types.ObjectId };
