import mongoose from 'mongoose';

const resetTokenSchema = new mongoose.Schema({
  // SHA-256 of the token in the mail: someone who reads this collection holds no working link.
  tokenHash: { type: String, required: true, unique: true },
  user: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
  expiresAt: { type: Date, required: true },
  // Set once, by the request that claims the token (or by a reset that retires the user's other tokens).
  usedAt: { type: Date, default: null },
});

// Cleanup only: every query checks expiresAt itself, so correctness never waits for the TTL monitor.
resetTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });

export const ResetToken = mongoose.model('ResetToken', resetTokenSchema);
