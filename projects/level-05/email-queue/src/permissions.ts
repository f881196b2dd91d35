import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds. Every new account is a `user`: it sends mail and handles
 * its own dead letters. An admin (`*`) sees and handles every account's dead letters.
 */
export const permissions = {
  user: ['emails:send', 'emails:read', 'dead-letters:manage'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
