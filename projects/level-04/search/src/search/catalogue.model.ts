import mongoose from 'mongoose';

/**
 * One document of running totals for BM25 (how many items, how many words per field) and the
 * catalogue's sequence. Changed only by $inc, so concurrent writers never lose a count.
 */
const catalogueSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    items: { type: Number, default: 0 },
    seq: { type: Number, default: 0 },
    lengths: { title: { type: Number, default: 0 }, description: { type: Number, default: 0 } },
  },
  { versionKey: false },
);

export const Catalogue = mongoose.model('Catalogue', catalogueSchema);
export const CATALOGUE_ID = 'catalogue';
