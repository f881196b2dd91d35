import mongoose from 'mongoose';

const preferenceSchema = new mongoose.Schema(
  {
    // One document per user, its _id the user's id.
    _id: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** Channels switched off for every type, e.g. ['email']. */
    mutedChannels: { type: [String], required: true, default: [] },
    /** `type/channel` pairs switched off, e.g. 'comment.created/email'. */
    mutedTypes: { type: [String], required: true, default: [] },
  },
  { timestamps: true },
);

export const Preference = mongoose.model('Preference', preferenceSchema);
export type PreferenceRecord = mongoose.InferSchemaType<typeof preferenceSchema> & { _id: mongoose.Types.ObjectId };
