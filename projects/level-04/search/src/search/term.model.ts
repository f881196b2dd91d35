import mongoose from 'mongoose';

/**
 * The vocabulary: every term ever indexed, with its length (typo candidates are the terms of a
 * similar length) and the catalogue position that first used it. Insert-only: a term no item
 * uses any more matches no posting, which costs a comparison, never a wrong answer.
 */
const termSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    length: { type: Number, required: true },
    seq: { type: Number, required: true },
  },
  { versionKey: false },
);

termSchema.index({ length: 1 });

export const Term = mongoose.model('Term', termSchema);
