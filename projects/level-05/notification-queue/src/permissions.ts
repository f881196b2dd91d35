import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds. Every account reads its own inbox and sets its own
 * preferences; publishing events is for producers (here any account, as the other services of a
 * real system would hold one; a deployment would give it to a service role only).
 */
export const permissions = {
  user: ['inbox:read', 'inbox:write', 'preferences:write', 'events:publish'],
  admin: ['*'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
