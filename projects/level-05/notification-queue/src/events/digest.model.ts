import mongoose from 'mongoose';

const digestSchema = new mongoose.Schema({
  // `<recipient>/<type>/<key>/<window start ms>`: events of one window meet in one document.
  _id: { type: String, required: true },
  recipient: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  type: { type: String, required: true },
  key: { type: String, required: true },
  closesAt: { type: Date, required: true },
  events: { type: [String], required: true, default: [] },
  titles: { type: [String], required: true, default: [] },
  /** Set once by the flush that turns it into a notification. */
  flushed: { type: Boolean, required: true, default: false },
});

export const Digest = mongoose.model('Digest', digestSchema);
export type DigestRecord = mongoose.InferSchemaType<typeof digestSchema>;
