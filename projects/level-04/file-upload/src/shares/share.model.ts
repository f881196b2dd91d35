import mongoose from 'mongoose';

const shareSchema = new mongoose.Schema(
  {
    file: { type: mongoose.Schema.Types.ObjectId, ref: 'File', required: true },
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // Only the SHA-256 of the token: a leaked collection gives out no working link.
    tokenHash: { type: String, required: true, unique: true },
    // null: never expires. Checked in every query's filter; no TTL index is relied on.
    expiresAt: { type: Date, default: null },
    // bcrypt, or null for a link without a password.
    passwordHash: { type: String, default: null },
    // null: unlimited. downloadsLeft counts down in the claim's filter, so it never goes below 0.
    maxDownloads: { type: Number, default: null },
    downloadsLeft: { type: Number, default: null },
    downloads: { type: Number, required: true, default: 0 },
  },
  { timestamps: true },
);

shareSchema.index({ file: 1 });

export const Share = mongoose.model('Share', shareSchema);
export type ShareRecord = mongoose.InferSchemaType<typeof shareSchema> & { _id: mongoose.Types.ObjectId };
