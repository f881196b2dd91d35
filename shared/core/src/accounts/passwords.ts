import bcrypt from 'bcrypt';
import { z } from 'zod';

/** bcrypt reads at most 72 bytes of a password and ignores the rest, silently. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 8;

/** A new password: 8 characters or more, at most 72 bytes in UTF-8 (é is 2 bytes, 😀 is 4). */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((password) => Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES, {
    message: `must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt ignores anything longer)`,
  })
  .meta({ format: 'password', example: 'correct horse battery' });

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

// A hash of nothing anyone knows, compared against when the email is unknown, so that an
// unknown email costs the same bcrypt time as a wrong password. One per cost, made once.
const decoys = new Map<number, Promise<string>>();

/**
 * True when `password` matches `hash`. With no hash (unknown account) it still spends the
 * same time and answers false. Passwords over 72 bytes never match: none could be set.
 */
export async function verifyPassword(password: string, hash: string | undefined, cost: number): Promise<boolean> {
  const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
  if (hash === undefined || tooLong) {
    if (!decoys.has(cost)) decoys.set(cost, bcrypt.hash('decoy password nobody has', cost));
    await bcrypt.compare(password.slice(0, MAX_PASSWORD_BYTES), await (decoys.get(cost) as Promise<string>));
    return false;
  }
  return bcrypt.compare(password, hash);
}

/**
 * True when `hash` was made at another cost than `cost`. Such a hash also compares in another
 * time than the decoy (which uses `cost`), so it would tell an old account from an unknown email.
 */
export function hashCostDiffers(hash: string, cost: number): boolean {
  return bcrypt.getRounds(hash) !== cost;
}
