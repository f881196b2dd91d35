import mongoose from 'mongoose';

const itemSchema = new mongoose.Schema(
  {
    // Set by the server from the token, never from the body; every query filters on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true },
    quantity: { type: Number, required: true, default: 1 },
  },
  { timestamps: true },
);

// The listing: one owner's items, newest first (paginate() adds _id to break ties).
itemSchema.index({ owner: 1, createdAt: -1 });

export const Item = mongoose.model('Item', itemSchema);
export type ItemRecord = mongoose.InferSchemaType<typeof itemSchema> & { _id: mongoose.Types.ObjectId };
