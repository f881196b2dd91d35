import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { reloadRole } from '../reload-role.ts';
import { PostId, PostInput, PostListQuery, PostPage, PostPatch, PostView } from './posts.schemas.ts';
import { createPost, deletePost, hidePost, listPosts, readPost, unhidePost, updatePost } from './posts.service.ts';

const listing = { query: PostListQuery };
const creating = { body: PostInput };
const byId = { params: PostId };
const patching = { params: PostId, body: PostPatch };

// Every route: validate, authenticate, reload the role from the database, authorize, then the use case.
export function postsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('posts')
    .get(
      '/',
      { summary: 'Posts, newest first (hidden ones only for moderators and admins)', responses: { 200: PostPage } },
      validate(listing),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:read'),
      list,
    )
    .post(
      '/',
      { summary: 'Write a post', responses: { 201: PostView } },
      validate(creating),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:create'),
      create,
    )
    .get(
      '/:id',
      { summary: 'Read a post (a hidden one is 404 unless you moderate)', responses: { 200: PostView } },
      validate(byId),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:read'),
      read,
    )
    .patch(
      '/:id',
      { summary: 'Edit your own post (admins: any post)', responses: { 200: PostView } },
      validate(patching),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:update:own'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete your own post (admins: any post)', responses: { 204: 'deleted' } },
      validate(byId),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:delete:own'),
      remove,
    )
    .post(
      '/:id/hide',
      { summary: 'Hide a post from everyone but moderators and admins', responses: { 200: PostView } },
      validate(byId),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:hide'),
      hide,
    )
    .post(
      '/:id/unhide',
      { summary: 'Show a hidden post again', responses: { 200: PostView } },
      validate(byId),
      access.authenticate(),
      reloadRole(),
      access.authorize('posts:hide'),
      unhide,
    );
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listPosts(principalOf(req), req.query));
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const post = await createPost(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${post.id}`).json(post);
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readPost(principalOf(req), req.params.id));
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  res.json(await updatePost(principalOf(req), req.params.id, req.body));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deletePost(principalOf(req), req.params.id);
  res.status(204).end();
}

async function hide(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await hidePost(principalOf(req), req.params.id));
}

async function unhide(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await unhidePost(req.params.id));
}
