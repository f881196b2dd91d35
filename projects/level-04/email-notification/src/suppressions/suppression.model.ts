import mongoose from 'mongoose';

export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'manual'] as const;

const suppressionSchema = new mongoose.Schema(
  {
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // Normalised as Email does (trimmed, lower-case), the same as a delivery's `to`.
    email: { type: String, required: true },
    reason: { type: String, enum: SUPPRESSION_REASONS, required: true },
  },
  { timestamps: true },
);

// One entry per address per owner: a second POST finds the first (the index decides, not a read before the insert).
suppressionSchema.index({ owner: 1, email: 1 }, { unique: true });
suppressionSchema.index({ owner: 1, createdAt: -1 });

export const Suppression = mongoose.model('Suppression', suppressionSchema);
export type SuppressionRecord = mongoose.InferSchemaType<typeof suppressionSchema> & { _id: mongoose.Types.ObjectId };
