import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

const title = z.string().trim().min(1).max(200).meta({ example: 'Hello, moderators' });
const body = z.string().max(10_000).meta({ description: 'plain text, at most 10,000 characters', example: 'First post.' });

export const PostId = IdParams;

/**
 * POST /posts: a title and an optional body. Server fields every service ignores (`role`,
 * `owner`, `_id`, `createdAt`…) are dropped; any other field, `author` and `hidden` included,
 * is a 400 naming it.
 */
export const PostInput = clientBody(z.object({ title, body: body.default('') }));
export type PostInput = z.output<typeof PostInput>;

/** PATCH /posts/:id: title, body or both; absent means unchanged. */
export const PostPatch = clientBody(z.object({ title, body }).partial()).refine((patch) => Object.keys(patch).length > 0, {
  message: 'send at least one of title, body',
});
export type PostPatch = z.output<typeof PostPatch>;

export const PostListQuery = pageQuery({});
export type PostListQuery = z.output<typeof PostListQuery>;

export const PostView = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    author: z.string().describe('id of the account that wrote it'),
    hidden: z.boolean(),
    hiddenBy: z.string().optional().describe('id of the moderator who hid it (hidden posts only)'),
    hiddenAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().describe('last edit of title or body; hiding does not count'),
  })
  .meta({ id: 'Post' });
export type PostView = z.infer<typeof PostView>;

export const PostPage = pageOf(PostView, 'PostPage');
