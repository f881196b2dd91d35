/**
 * Makes an existing account an admin (or a user again), straight in the database: the dashboard
 * and everyone's jobs are an admin's, and no HTTP route hands out that role.
 *
 *   pnpm --filter level-05/background-jobs promote ada@example.com admin
 *
 * It reads MONGO_URL as the server does, and nothing else. The role is in the next token the
 * account gets: log in again.
 */
import { Email, runMongoScript, User } from '@hub/core';
import { z } from 'zod';
import { permissions } from './permissions.ts';

export const USAGE = 'usage: pnpm --filter level-05/background-jobs promote <email> <user|admin>';

const roles = Object.keys(permissions) as [keyof typeof permissions, ...Array<keyof typeof permissions>];

/** Checks the arguments, sets the role, and says what changed. */
export async function promote(args: readonly string[]): Promise<string> {
  const parsed = z.tuple([Email, z.enum(roles)]).safeParse(args);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
  const [email, role] = parsed.data;
  const account = await User.findOneAndUpdate({ email }, { $set: { role } }, { returnDocument: 'before' }).lean();
  if (!account) throw new Error(`No account with the email ${email}.`);
  return `${email}: ${account.role} → ${role}`;
}

if (import.meta.main) await runMongoScript(promote);
