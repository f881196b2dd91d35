import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { ItemId, ItemInput, ItemPatch, ItemView } from './items.schemas.ts';
import { createItem, deleteItem, readItem, updateItem } from './items.service.ts';

const creating = { body: ItemInput };
const byId = { params: ItemId };
const patching = { params: ItemId, body: ItemPatch };

/**
 * The catalogue's items. Reading is public; writing needs an account, and changing or deleting
 * needs to be the owner or an admin. Each write updates the search index before it answers.
 */
export function itemsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('items')
    .post(
      '/',
      { summary: 'Add an item to the catalogue', responses: { 201: ItemView } },
      validate(creating),
      access.authenticate(),
      access.authorize('items:create'),
      create,
    )
    .get('/:id', { summary: 'Read an item', responses: { 200: ItemView } }, validate(byId), read)
    .patch(
      '/:id',
      { summary: 'Change your item (an admin: any item)', responses: { 200: ItemView } },
      validate(patching),
      access.authenticate(),
      access.authorize('items:update:own'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete your item (an admin: any item)', responses: { 204: 'Deleted' } },
      validate(byId),
      access.authenticate(),
      access.authorize('items:delete:own'),
      remove,
    );
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const item = await createItem(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readItem(req.params.id));
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  res.json(await updateItem(principalOf(req), req.params.id, req.body));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deleteItem(principalOf(req), req.params.id);
  res.status(204).end();
}
