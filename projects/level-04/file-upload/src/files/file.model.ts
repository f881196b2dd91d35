import mongoose from 'mongoose';

const fileSchema = new mongoose.Schema(
  {
    // Set by the server from the token, never from the request; every query filters on it.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // The client's name for the file, cleaned; shown only in Content-Disposition, never used as a path.
    name: { type: String, required: true },
    // Decided from the first bytes (magic numbers), never from the name or the client's Content-Type.
    type: { type: String, required: true },
    size: { type: Number, required: true },
    // The storage adapter's handle: on disk the server-made name (<id>.<ext>), in ImageKit <fileId><filePath>.
    storageKey: { type: String, required: true },
  },
  { timestamps: true },
);

// The listing: one owner's files, newest first (paginate() adds _id to break ties).
fileSchema.index({ owner: 1, createdAt: -1 });

export const StoredFile = mongoose.model('File', fileSchema);
export type FileRecord = mongoose.InferSchemaType<typeof fileSchema> & { _id: mongoose.Types.ObjectId };
