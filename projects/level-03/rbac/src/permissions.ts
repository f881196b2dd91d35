import { grants, type Access, type PermissionMap, type Principal } from '@hub/core';

/** The roles an account can hold; every new account starts as `user`. */
export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do, spelled out in full (no `*`), so this table is the whole policy.
 * A permission ending in `:own` is limited to the caller's own posts by the use case;
 * the `:any` one lifts that limit.
 */
export const permissions = {
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

export type Permission = (typeof permissions)[Role][number];

/** authenticate() and authorize() bound to this table: routes receive it from app.ts. */
export type AppAccess = Access<Permission>;

/** Does this principal's role grant `permission`? The same check authorize() makes; an unknown role grants nothing. */
export const can = (principal: Principal, permission: Permission): boolean => grants(permissions, principal.role, permission);
