import type { PermissionMap, Principal } from '@hub/core';

/** The roles an account can hold; every new account starts as `user`. */
export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do, spelled out in full (no `*`), so this table is the whole policy.
 * A permission ending in `:own` is limited to the caller's own posts by the use case;
 * the `:any` one lifts that limit.
 */
export const rolePermissions = {
  user: ['posts:read', 'posts:create', 'posts:update:own', 'posts:delete:own'],
  moderator: ['posts:read', 'posts:create', 'posts:update:own', 'posts:delete:own', 'posts:hide', 'posts:read:hidden'],
  admin: [
    'posts:read',
    'posts:create',
    'posts:update:own',
    'posts:delete:own',
    'posts:hide',
    'posts:read:hidden',
    'posts:update:any',
    'posts:delete:any',
    'users:read',
    'users:role:update',
  ],
} as const satisfies Record<Role, readonly string[]> & PermissionMap;

export type Permission = (typeof rolePermissions)[Role][number];

/** Does this principal's role grant `permission`? An unknown role grants nothing (deny by default). */
export function can(principal: Principal, permission: Permission): boolean {
  const granted: readonly string[] = Object.hasOwn(rolePermissions, principal.role) ? rolePermissions[principal.role as Role] : [];
  return granted.includes(permission);
}
