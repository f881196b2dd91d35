import mongoose from 'mongoose';

const noteSchema = new mongoose.Schema(
  {
    // Every query filters on this field: it is what makes a note private to its owner.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true },
    // Not `required`: mongoose treats '' as missing, and an empty body is a valid note.
    body: { type: String, default: '' },
    tags: { type: [String], default: [] },
    pinned: { type: Boolean, required: true, default: false },
    archived: { type: Boolean, required: true, default: false },
  },
  { timestamps: true },
);

// The default listing: one owner's notes, pinned first, newest edit first.
noteSchema.index({ owner: 1, pinned: -1, updatedAt: -1 });
// "My notes tagged x": a multikey index over the tags array.
noteSchema.index({ owner: 1, tags: 1 });

export const Note = mongoose.model('Note', noteSchema);
export type NoteRecord = mongoose.InferSchemaType<typeof noteSchema> & { _id: mongoose.Types.ObjectId };
