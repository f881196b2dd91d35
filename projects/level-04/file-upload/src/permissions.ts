import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds; `access.authorize('files:write')` on a route line checks
 * this table. Every new account is a `user`. `*` grants everything, but ownership still
 * applies: an admin's queries are filtered by owner like anyone's.
 */
export const permissions = {
  user: ['files:read', 'files:write', 'files:share'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
