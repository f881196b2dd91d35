import { principalOf, stage } from '@hub/core';
import type { RequestHandler } from 'express';
import { currentRole } from './users/users.service.ts';

/**
 * After authenticate(): replaces the role the token carries with the role the database holds
 * now, so a demotion (or a deleted account) counts on the very next request, not when the
 * token expires. Part of authentication, so it is timed as `authn`.
 */
export function reloadRole(): RequestHandler {
  return stage('authn', async (req) => {
    const principal = principalOf(req);
    req.principal = { ...principal, role: await currentRole(principal.id) };
  });
}
