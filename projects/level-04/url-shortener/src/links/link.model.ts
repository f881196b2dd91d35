import mongoose from 'mongoose';

const linkSchema = new mongoose.Schema(
  {
    // Set by the server from the token, never from the body; every management query filters on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // The alias, or a random base62 code: what follows the slash of the short URL.
    code: { type: String, required: true },
    url: { type: String, required: true },
    expiresAt: { type: Date, default: null },
    maxVisits: { type: Number, default: null },
    // Redirects served under maxVisits, counted by the same atomic update that allows them.
    visits: { type: Number, required: true, default: 0 },
  },
  { timestamps: true },
);

// One link per code, aliases and random codes alike: a duplicate insert fails with 11000.
linkSchema.index({ code: 1 }, { unique: true });
// The listing: one owner's links, newest first (paginate() adds _id to break ties).
linkSchema.index({ owner: 1, createdAt: -1 });

export const Link = mongoose.model('Link', linkSchema);
export type LinkRecord = mongoose.InferSchemaType<typeof linkSchema> & { _id: mongoose.Types.ObjectId };
