import mongoose from 'mongoose';

const roomSchema = new mongoose.Schema(
  {
    name: { type: String, required: true },
    // Set by the server from the token, never from the body.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // Who may read and send: every query that reads or writes a room's messages filters on it.
    members: { type: [mongoose.Schema.Types.ObjectId], ref: 'User', required: true },
  },
  { timestamps: true },
);

// "My rooms", newest first; and the membership check, { _id, members: me }.
roomSchema.index({ members: 1, createdAt: -1 });

export const Room = mongoose.model('Room', roomSchema);
export type RoomRecord = mongoose.InferSchemaType<typeof roomSchema> & { _id: mongoose.Types.ObjectId };
