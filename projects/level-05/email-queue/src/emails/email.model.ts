import mongoose from 'mongoose';

/** queued → sent, or dead (a permanent refusal, or every attempt failed); a requeue makes a dead one queued again. */
export const EMAIL_STATUSES = ['queued', 'sent', 'dead'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

const emailSchema = new mongoose.Schema(
  {
    // Set by the server from the token, never from the body; every query filters on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: EMAIL_STATUSES, required: true, default: 'queued' },
    // How often it was requeued from the dead letters: its job id is `<id>-<requeues>` after the first (jobIdOf).
    requeues: { type: Number, required: true, default: 0 },
    attempts: { type: Number, required: true, default: 0 },
    messageId: { type: String, default: null },
    lastError: {
      type: new mongoose.Schema({ code: String, smtpCode: Number, message: String }, { _id: false }),
      default: null,
    },
    sentAt: { type: Date, default: null },
    deadAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// The dead-letter listing: one owner's dead mails, newest first (paginate() adds _id to break ties).
emailSchema.index({ owner: 1, status: 1, deadAt: -1 });

export const Email = mongoose.model('Email', emailSchema);
export type EmailRecord = mongoose.InferSchemaType<typeof emailSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
