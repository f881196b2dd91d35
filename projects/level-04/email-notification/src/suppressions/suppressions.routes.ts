import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { SuppressionId, SuppressionInput, SuppressionListQuery, SuppressionPage, SuppressionView } from './suppressions.schemas.ts';
import { listSuppressions, suppress, unsuppress } from './suppressions.service.ts';

const adding = { body: SuppressionInput };
const listing = { query: SuppressionListQuery };
const byId = { params: SuppressionId };

/** Mounted at /suppressions: the caller's addresses that are never sent to. */
export function suppressionsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('suppressions')
    .post(
      '/',
      {
        summary: 'Stop mail to an address: 201 when added, 200 when it was already there',
        responses: { 201: SuppressionView, 200: SuppressionView },
      },
      validate(adding),
      access.authenticate(),
      access.authorize('suppressions:write'),
      add,
    )
    .get(
      '/',
      { summary: 'My suppressed addresses, newest first; by page or cursor', responses: { 200: SuppressionPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('suppressions:read'),
      list,
    )
    .delete(
      '/:id',
      { summary: 'Send to an address again', responses: { 204: 'Removed from the list' } },
      validate(byId),
      access.authenticate(),
      access.authorize('suppressions:write'),
      remove,
    );
}

async function add(req: ValidRequest<typeof adding>, res: Response) {
  const { suppression, created } = await suppress(principalOf(req), req.body);
  res
    .status(created ? 201 : 200)
    .location(`${req.baseUrl}/${suppression.id}`)
    .json(suppression);
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listSuppressions(principalOf(req), req.query));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await unsuppress(principalOf(req), req.params.id);
  res.status(204).end();
}
