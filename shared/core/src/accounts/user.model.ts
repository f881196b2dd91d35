import mongoose from 'mongoose';

const userSchema = new mongoose.Schema(
  {
    // Stored normalised (trimmed, lower-case), so the unique index treats Ann@X.io and ann@x.io as one.
    email: { type: String, required: true, unique: true },
    // Never selected unless a query asks for it by name: no route can leak it by accident.
    passwordHash: { type: String, required: true, select: false },
    name: { type: String },
    role: { type: String, required: true, default: 'user' },
  },
  { timestamps: true },
);

export const User = mongoose.model('User', userSchema);
export type UserDocument = mongoose.HydratedDocument<mongoose.InferSchemaType<typeof userSchema>>;
