import { grants, type Access, type PermissionMap, type Principal } from '@hub/core';

/**
 * Role → the permissions it holds. Searching and reading the catalogue need no account. Every
 * new account is a `user`: it adds items and changes or deletes its own (`:own`, the owner is in
 * the query filter); an admin's `:any` lifts that limit. Spelled out, no `*`.
 */
export const permissions = {
  user: ['items:create', 'items:update:own', 'items:delete:own'],
  admin: ['items:create', 'items:update:own', 'items:delete:own', 'items:update:any', 'items:delete:any'],
} as const satisfies PermissionMap;

export type Permission = (typeof permissions)[keyof typeof permissions][number];

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<Permission>;

/** Does this principal's role grant `permission`? The same check authorize() makes. */
export const can = (principal: Principal, permission: Permission): boolean => grants(permissions, principal.role, permission);
