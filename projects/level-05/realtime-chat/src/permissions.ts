import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds; `access.authorize('rooms:write')` on a route line checks
 * this table. Every new account is a `user`. Membership still applies to everyone: a room's
 * queries are filtered by its members, an admin's like anyone's.
 */
export const permissions = {
  user: ['rooms:read', 'rooms:write'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
