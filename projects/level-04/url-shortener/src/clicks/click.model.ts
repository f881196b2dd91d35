import mongoose from 'mongoose';

const clickSchema = new mongoose.Schema({
  link: { type: mongoose.Schema.Types.ObjectId, ref: 'Link', required: true },
  at: { type: Date, required: true },
  // The UTC day, stored as text: grouping on it needs no date operators.
  day: { type: String, required: true },
  referrer: { type: String, required: true },
  device: { type: String, required: true },
  bot: { type: Boolean, required: true },
});

// Stats read one link's clicks.
clickSchema.index({ link: 1, day: 1 });

export const Click = mongoose.model('Click', clickSchema);
export type ClickRecord = mongoose.InferSchemaType<typeof clickSchema> & { _id: mongoose.Types.ObjectId };
