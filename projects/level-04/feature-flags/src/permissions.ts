import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/** The roles an account can hold; every new account starts as `user`, an operator promotes (src/promote.ts). */
export const ROLES = ['user', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do, in full. Anyone signed in may read the definitions; admins create,
 * change and read the audit trail; only an owner deletes a flag, because a deleted flag
 * silently falls back to every caller's code default.
 */
export const permissions = {
  user: ['flags:read'],
  admin: ['flags:read', 'flags:write', 'audit:read'],
  owner: ['flags:read', 'flags:write', 'flags:delete', 'audit:read'],
} as const satisfies Record<Role, readonly string[]> & PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
