import mongoose from 'mongoose';

const itemSchema = new mongoose.Schema(
  {
    // Set by the server from the token, never from the body; updates and deletes filter on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    category: { type: String, required: true },
    // In cents, a whole number: a price is never a float.
    price: { type: Number, required: true },
    tags: { type: [String], default: [] },
    // Its place in the catalogue, from CatalogueStats.seq: a search's cursor leaves out every item added after its first page.
    seq: { type: Number, required: true },
    // +1 on every change; postings written for an older revision are removed.
    rev: { type: Number, required: true, default: 1 },
    // Words per indexed field, kept so an update can correct the catalogue's totals.
    lengths: { title: { type: Number, required: true }, description: { type: Number, required: true } },
  },
  { timestamps: true },
);

itemSchema.index({ seq: 1 }, { unique: true });

export const Item = mongoose.model('Item', itemSchema);
export type ItemRecord = Omit<mongoose.InferSchemaType<typeof itemSchema>, 'lengths'> & {
  _id: mongoose.Types.ObjectId;
  lengths: { title: number; description: number };
};
