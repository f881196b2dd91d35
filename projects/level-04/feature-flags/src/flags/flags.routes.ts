import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { FlagCreate, FlagKeyParams, FlagListQuery, FlagPage, FlagReplace, FlagView, IfMatch } from './flags.schemas.ts';
import { createFlag, deleteFlag, etagOf, expectedVersion, listFlags, readFlag, replaceFlag } from './flags.service.ts';
import type { LiveFlags } from './live-flags.ts';

const creating = { body: FlagCreate };
const listing = { query: FlagListQuery };
const byKey = { params: FlagKeyParams };
const replacing = { params: FlagKeyParams, headers: IfMatch, body: FlagReplace };
const deleting = { params: FlagKeyParams, headers: IfMatch };

/** The admin routes at /flags: validate → authenticate → authorize → handler on every line. */
export function flagsRoutes({ access, live }: { access: AppAccess; live: LiveFlags }): ApiRouter {
  return new ApiRouter('flags')
    .post(
      '/',
      { summary: 'Create a flag (201, Location, ETag); environments left out start disabled', responses: { 201: FlagView } },
      validate(creating),
      access.authenticate(),
      access.authorize('flags:write'),
      create,
    )
    .get(
      '/',
      { summary: 'Every flag, by key; by page or cursor', responses: { 200: FlagPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('flags:read'),
      list,
    )
    .get(
      '/:key',
      { summary: 'One flag, with its version as ETag', responses: { 200: FlagView } },
      validate(byKey),
      access.authenticate(),
      access.authorize('flags:read'),
      read,
    )
    .put(
      '/:key',
      {
        summary: 'Replace a flag; If-Match (or version in the body) is required, a stale one answers 412 (409)',
        responses: { 200: FlagView },
      },
      validate(replacing),
      access.authenticate(),
      access.authorize('flags:write'),
      replace,
    )
    .delete(
      '/:key',
      { summary: 'Delete a flag (owners only); If-Match is required', responses: { 204: 'Deleted' } },
      validate(deleting),
      access.authenticate(),
      access.authorize('flags:delete'),
      remove,
    );

  async function create(req: ValidRequest<typeof creating>, res: Response) {
    const flag = await createFlag(principalOf(req), req.body, live);
    res.status(201).location(`${req.baseUrl}/${flag.key}`).set('ETag', etagOf(flag)).json(flag);
  }

  async function replace(req: ValidRequest<typeof replacing>, res: Response) {
    const expected = expectedVersion(req.headers['if-match'], req.body.version);
    const flag = await replaceFlag(principalOf(req), req.params.key, req.body, expected, live);
    res.set('ETag', etagOf(flag)).json(flag);
  }

  async function remove(req: ValidRequest<typeof deleting>, res: Response) {
    await deleteFlag(principalOf(req), req.params.key, expectedVersion(req.headers['if-match'], undefined), live);
    res.status(204).end();
  }
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listFlags(req.query));
}

async function read(req: ValidRequest<typeof byKey>, res: Response) {
  const flag = await readFlag(req.params.key);
  res.set('ETag', etagOf(flag)).json(flag);
}
