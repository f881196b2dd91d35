import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/** What each role may do. Every account starts as `user`; `admin` holds every permission (ownership still applies). */
export const permissions = {
  user: ['tasks:read', 'tasks:write'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: routes receive it from app.ts. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
