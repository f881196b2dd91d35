import type { Access, PermissionMap, PermissionOf } from '@hub/core';

/**
 * Role → the permissions it holds. Every new account is a `user`: it submits jobs and reads and
 * cancels its own. An admin also sees and cancels everyone's jobs (`jobs:any`) and opens the
 * queue dashboard (`queues:dashboard`).
 */
export const permissions = {
  user: ['jobs:submit', 'jobs:read', 'jobs:cancel'],
  admin: ['jobs:submit', 'jobs:read', 'jobs:cancel', 'jobs:any', 'queues:dashboard'],
} as const satisfies PermissionMap;

/** authenticate() and authorize() bound to this table: app.ts builds it, routes receive it. */
export type AppAccess = Access<PermissionOf<typeof permissions>>;
