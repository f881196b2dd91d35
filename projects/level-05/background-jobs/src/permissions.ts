import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds; `access.authorize('items:write')` on a route line checks
 * this table. Every new account is a `user`. `*` grants everything, but ownership still
 * applies: an admin's queries are filtered by owner like anyone's. `as const` makes each
 * permission a type, so a misspelt one on a route line does not compile.
 */
export const permissions = {
  user: ['items:read', 'items:write'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
