import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { AuditListQuery, AuditPage } from './audit.schemas.ts';
import { listChanges } from './audit.service.ts';

const listing = { query: AuditListQuery };

/** GET /audit: the trail of flag changes. There is no route that writes or deletes an entry. */
export function auditRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('audit').get(
    '/',
    { summary: 'Every flag change (actor, before, after), newest first', responses: { 200: AuditPage } },
    validate(listing),
    access.authenticate(),
    access.authorize('audit:read'),
    list,
  );
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listChanges(req.query));
}
