import mongoose from 'mongoose';

const postSchema = new mongoose.Schema(
  {
    title: { type: String, required: true },
    // Not `required`: mongoose treats '' as missing, and a post may be a title alone.
    body: { type: String, default: '' },
    // Set from the token on create and never from a request body: the ownership rules hang on it.
    author: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    // Hidden posts stay stored (the moderation record) but only moderators and admins can see them.
    hidden: { type: Boolean, required: true, default: false },
    hiddenBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    hiddenAt: { type: Date },
  },
  { timestamps: true },
);

// The listing: visible posts, newest first (moderators list without the hidden filter).
postSchema.index({ hidden: 1, createdAt: -1 });

export const Post = mongoose.model('Post', postSchema);
export type PostRecord = mongoose.InferSchemaType<typeof postSchema> & { _id: mongoose.Types.ObjectId };
