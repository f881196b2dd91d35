import mongoose from 'mongoose';

/**
 * Clicks, counted: one document per link, UTC day, referrer host, device and bot-or-not, whose
 * `clicks` grows by $inc. A flush of the click buffer is one upsert per distinct combination,
 * however many redirects it holds, so the write load does not grow with the traffic.
 */
const clickCountSchema = new mongoose.Schema({
  link: { type: mongoose.Schema.Types.ObjectId, ref: 'Link', required: true },
  // The UTC day as text (2026-03-01): grouping on it needs no date operators.
  day: { type: String, required: true },
  referrer: { type: String, required: true },
  device: { type: String, required: true },
  bot: { type: Boolean, required: true },
  clicks: { type: Number, required: true, default: 0 },
});

// What an upsert matches on: one document per combination, even with two instances flushing at once.
clickCountSchema.index({ link: 1, day: 1, referrer: 1, device: 1, bot: 1 }, { unique: true });

export const ClickCount = mongoose.model('ClickCount', clickCountSchema);
