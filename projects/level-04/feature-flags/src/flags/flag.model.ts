import mongoose from 'mongoose';

const flagSchema = new mongoose.Schema(
  {
    key: { type: String, required: true },
    description: { type: String, default: '' },
    // Checked by the zod schemas at the edge; stored as given (variant name → value, environment → configuration).
    variants: { type: mongoose.Schema.Types.Mixed, required: true },
    offVariant: { type: String, required: true },
    environments: { type: mongoose.Schema.Types.Mixed, required: true },
    salt: { type: String, required: true },
    // Moves by one on every write; a write names the version it read (If-Match) in its filter.
    version: { type: Number, required: true, default: 1 },
  },
  // minimize: false keeps an empty targets list or variants object as it was written.
  { timestamps: true, minimize: false },
);

// One flag per key: a second create of the same key fails on this index (409), never by a check first.
flagSchema.index({ key: 1 }, { unique: true });

export const Flag = mongoose.model('Flag', flagSchema);
export type FlagRecord = mongoose.InferSchemaType<typeof flagSchema> & { _id: mongoose.Types.ObjectId };
