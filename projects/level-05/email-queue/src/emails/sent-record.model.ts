import mongoose from 'mongoose';

/**
 * One document per email the SMTP server accepted, keyed by the email's id (unique as _id). The
 * worker looks for it before sending and writes it right after the server's 250, so a job run
 * again (a retry, a stalled job taken over after a crash, a requeue) does not send twice.
 */
const sentRecordSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    sentAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const SentRecord = mongoose.model('SentRecord', sentRecordSchema);
