import mongoose from 'mongoose';

const messageSchema = new mongoose.Schema(
  {
    room: { type: mongoose.Schema.Types.ObjectId, ref: 'Room', required: true },
    author: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // The sender's own id for this message: a retry with the same one stores nothing new.
    clientId: { type: String, required: true },
    text: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

// Idempotent sends: one message per author and client id in a room (a duplicate is an 11000).
messageSchema.index({ room: 1, author: 1, clientId: 1 }, { unique: true });
// History and replay walk a room's messages by _id, which grows with time.
messageSchema.index({ room: 1, _id: -1 });

export const Message = mongoose.model('Message', messageSchema);
export type MessageRecord = mongoose.InferSchemaType<typeof messageSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
