/**
 * Gives an existing account a role, straight in the database: how the first admin is made.
 *
 *   pnpm --filter level-03/rbac promote ada@example.com admin
 *
 * An operator runs it where the database is reachable. No HTTP route can do this for an
 * account's own role, so nobody makes themselves admin through the API. It reads MONGO_URL
 * the way the server does (the environment, then .env) and no other key: it never needs
 * the token-signing secret.
 */
import { Email, runMongoScript } from '@hub/core';
import { z } from 'zod';
import { setRoleByEmail } from './users/users.service.ts';
import { KnownRole } from './users/users.schemas.ts';

export const USAGE = 'usage: pnpm --filter level-03/rbac promote <email> <role>   (role: user, moderator or admin)';

// The email is normalised exactly as signup stores it (trimmed, lower-cased).
const PromoteArgs = z.tuple([Email, KnownRole]);

/** The script's work, apart from connecting: checks the arguments, sets the role, says what changed. */
export async function promote(args: readonly string[]): Promise<string> {
  const parsed = PromoteArgs.safeParse(args);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
  const [email, newRole] = parsed.data;
  const { account, previousRole } = await setRoleByEmail(email, newRole);
  return `${account.email}: ${previousRole} → ${account.role}`;
}

if (import.meta.main) await runMongoScript(promote);
