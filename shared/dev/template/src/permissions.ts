import type { PermissionMap } from '@hub/core';

/**
 * Role → the permissions it holds; `authorize('items:write')` on a route line checks this
 * table. Every new account is a `user`. `*` grants everything, but ownership still applies:
 * an admin's queries are filtered by owner like anyone's.
 */
export const permissions: PermissionMap = {
  user: ['items:read', 'items:write'],
  admin: ['*'],
};
