/**
 * Gives an existing account a role, straight in the database: how the first admin or owner is made.
 *
 *   pnpm --filter level-04/feature-flags promote ada@example.com owner
 *
 * No HTTP route changes a role, so nobody makes themselves admin through the API. It reads
 * MONGO_URL the way the server does and no other key. The new role is in the next token the
 * account gets: log in again.
 */
import { Email, runMongoScript, User } from '@hub/core';
import { z } from 'zod';
import { ROLES } from './permissions.ts';

export const USAGE = 'usage: pnpm --filter level-04/feature-flags promote <email> <role>   (role: user, admin or owner)';

const PromoteArgs = z.tuple([Email, z.enum(ROLES)]);

/** The script's work, apart from connecting: checks the arguments, sets the role, says what changed. */
export async function promote(args: readonly string[]): Promise<string> {
  const parsed = PromoteArgs.safeParse(args);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
  const [email, role] = parsed.data;
  const before = await User.findOneAndUpdate({ email }, { $set: { role } }, { returnDocument: 'before' }).lean();
  if (!before) throw new Error(`No account with the email ${email}.`);
  return `${email}: ${before.role} → ${role}`;
}

if (import.meta.main) await runMongoScript(promote);
