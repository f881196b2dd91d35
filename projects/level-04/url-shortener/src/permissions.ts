import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds. Every new account is a `user`. Ownership still applies to
 * everyone: an admin's queries are filtered by owner like anyone's.
 */
export const permissions = {
  user: ['links:read', 'links:write'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
