import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds. Every account may send its own transactional mail, read its
 * own delivery log and keep its own suppression list: the owner is in every query's filter,
 * for an admin too. `as const` makes each permission a type, so a misspelt one does not compile.
 */
export const permissions = {
  user: ['templates:read', 'mail:send', 'deliveries:read', 'suppressions:read', 'suppressions:write'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
