import mongoose from 'mongoose';

/**
 * The inverted index: one document per (term, item, field) with the term's frequency there and
 * the field's length. The item's filter fields travel with each posting, so a search filters
 * and counts facets without reading the items.
 */
const postingSchema = new mongoose.Schema(
  {
    term: { type: String, required: true },
    item: { type: mongoose.Schema.Types.ObjectId, required: true },
    field: { type: String, required: true, enum: ['title', 'description'] },
    tf: { type: Number, required: true },
    length: { type: Number, required: true },
    rev: { type: Number, required: true },
    seq: { type: Number, required: true },
    category: { type: String, required: true },
    price: { type: Number, required: true },
    tags: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

// A search reads the postings of a few terms, up to its snapshot.
postingSchema.index({ term: 1, seq: 1 });
// One posting per term, item and field: two concurrent re-indexings of an item cannot duplicate it.
postingSchema.index({ item: 1, field: 1, term: 1 }, { unique: true });

export const Posting = mongoose.model('Posting', postingSchema);
export type PostingRecord = mongoose.InferSchemaType<typeof postingSchema>;
