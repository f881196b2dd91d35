import { AccountView, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';
import { ROLES } from '../permissions.ts';

export const KnownRole = z.enum(ROLES).meta({ description: `one of ${ROLES.join(', ')}`, example: 'moderator' });

export const UserId = IdParams;

export const UserListQuery = pageQuery({ role: KnownRole.optional().meta({ description: 'only accounts holding this role' }) });
export type UserListQuery = z.output<typeof UserListQuery>;

/** PATCH /users/:id/role: exactly one field, one of the known roles. */
export const RoleChange = z.strictObject({ role: KnownRole });

export const AccountPage = pageOf(AccountView, 'AccountPage');
