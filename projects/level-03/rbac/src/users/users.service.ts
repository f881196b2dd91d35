import {
  AppError,
  logger,
  notFound,
  paginate,
  toAccountView,
  unauthorized,
  User,
  type AccountView,
  type Page,
  type Principal,
} from '@hub/core';
import type { Role } from '../permissions.ts';
import type { UserListQuery } from './users.schemas.ts';

/**
 * The role the database holds for this account now. A token only remembers the role at login,
 * so every request asks here. A deleted account is signed out (401), whatever its token says.
 */
export async function currentRole(id: string): Promise<string> {
  const user = await User.findById(id).select('role').lean();
  if (!user) throw unauthorized('This account no longer exists.', 'invalid_token');
  return user.role;
}

/** Every account with its role, newest first; optionally only one role. */
export async function listUsers({ role, ...page }: UserListQuery): Promise<Page<AccountView>> {
  return paginate(User, { filter: role ? { role } : {}, sort: { createdAt: -1 }, map: toAccountView }, page);
}

/**
 * An admin gives another account a role. Changing your own role is refused, so an admin can
 * never demote themselves and leave nobody able to manage roles. Every change is logged.
 */
export async function changeRole(principal: Principal, id: string, role: Role): Promise<AccountView> {
  // Ids are hex and the path accepts capitals: compare them the way MongoDB will.
  if (id.toLowerCase() === principal.id.toLowerCase()) {
    throw new AppError(403, 'own-role', 'You cannot change your own role: ask another admin.');
  }
  const before = await User.findByIdAndUpdate(id, { $set: { role } }, { returnDocument: 'before' });
  if (!before) throw notFound(`No user with id ${id}.`);
  logger.info('role changed', { user: id, from: before.role, to: role, by: principal.id });
  return { ...toAccountView(before), role };
}

/** The operator's way in (src/promote.ts): sets a role by email, with no caller and no HTTP. */
export async function setRoleByEmail(email: string, role: Role): Promise<{ account: AccountView; previousRole: string }> {
  const before = await User.findOneAndUpdate({ email }, { $set: { role } }, { returnDocument: 'before' });
  if (!before) throw new Error(`No account with the email ${email}: sign up first, then promote.`);
  logger.info('role changed', { user: before.id as string, from: before.role, to: role, by: 'operator (promote script)' });
  return { account: { ...toAccountView(before), role }, previousRole: before.role };
}
