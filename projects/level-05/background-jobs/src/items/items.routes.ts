import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { ItemId, ItemInput, ItemListQuery, ItemPage, ItemView } from './items.schemas.ts';
import { createItem, listItems, readItem } from './items.service.ts';

const creating = { body: ItemInput };
const listing = { query: ItemListQuery };
const byId = { params: ItemId };

/**
 * The /items routes. Each line reads in pipeline order: validate → authenticate → authorize →
 * handler. A factory, so app.ts hands it what it needs: the access checks now, a client or a
 * clock when a use case needs one.
 */
export function itemsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('items')
    .post(
      '/',
      { summary: 'Create an item', responses: { 201: ItemView } },
      validate(creating),
      access.authenticate(),
      access.authorize('items:write'),
      create,
    )
    .get(
      '/',
      { summary: 'My items, newest first; by page or cursor', responses: { 200: ItemPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('items:read'),
      list,
    )
    .get(
      '/:id',
      { summary: 'Read one of my items', responses: { 200: ItemView } },
      validate(byId),
      access.authenticate(),
      access.authorize('items:read'),
      read,
    );
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const item = await createItem(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listItems(principalOf(req), req.query));
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readItem(principalOf(req), req.params.id));
}
