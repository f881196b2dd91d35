import { AccountView, ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { reloadRole } from '../reload-role.ts';
import { AccountPage, RoleChange, UserId, UserListQuery } from './users.schemas.ts';
import { changeRole, listUsers } from './users.service.ts';

const listing = { query: UserListQuery };
const changing = { params: UserId, body: RoleChange };

// Admin only: the permissions below belong to the admin role alone.
export function usersRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('users')
    .get(
      '/',
      { summary: 'Every account and its role (admin)', responses: { 200: AccountPage } },
      validate(listing),
      access.authenticate(),
      reloadRole(),
      access.authorize('users:read'),
      list,
    )
    .patch(
      '/:id/role',
      { summary: "Change another account's role (admin; never your own)", responses: { 200: AccountView } },
      validate(changing),
      access.authenticate(),
      reloadRole(),
      access.authorize('users:role:update'),
      updateRole,
    );
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listUsers(req.query));
}

async function updateRole(req: ValidRequest<typeof changing>, res: Response) {
  res.json(await changeRole(principalOf(req), req.params.id, req.body.role));
}
