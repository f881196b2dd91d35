import { forbidden, notFound, paginate, type AppError, type Page, type Principal } from '@hub/core';
import { can } from '../permissions.ts';
import { Post, type PostRecord } from './post.model.ts';
import type { PostInput, PostListQuery, PostPatch, PostView } from './posts.schemas.ts';

const toView = (post: PostRecord): PostView => ({
  id: String(post._id),
  title: post.title,
  body: post.body,
  author: String(post.author),
  hidden: post.hidden,
  ...(post.hiddenBy ? { hiddenBy: String(post.hiddenBy) } : {}),
  ...(post.hiddenAt ? { hiddenAt: post.hiddenAt.toISOString() } : {}),
  createdAt: post.createdAt.toISOString(),
  updatedAt: post.updatedAt.toISOString(),
});

const noSuchPost = (id: string) => notFound(`No post with id ${id}.`);

/** The posts this principal may see: all of them with posts:read:hidden, otherwise the visible ones. */
const visibleTo = (principal: Principal) => (can(principal, 'posts:read:hidden') ? {} : { hidden: false });

/** The posts this principal may change: any with the `:any` permission, otherwise their own. */
const changeableBy = (principal: Principal, any: 'posts:update:any' | 'posts:delete:any') =>
  can(principal, any) ? {} : { author: principal.id };

/**
 * Why a conditional write matched nothing. A post the caller cannot see is 404, exactly like a
 * missing one; a post they can see (posts are public) but is not theirs is an honest 403.
 */
async function refusal(principal: Principal, id: string, action: string): Promise<AppError> {
  const visible = await Post.exists({ _id: id, ...visibleTo(principal) });
  return visible ? forbidden(`You can ${action} only your own posts.`) : noSuchPost(id);
}

export async function createPost(principal: Principal, input: PostInput): Promise<PostView> {
  const post = await Post.create({ ...input, author: principal.id });
  return toView(post.toObject());
}

/** Newest first; hidden posts are left out unless the caller may read them. */
export async function listPosts(principal: Principal, page: PostListQuery): Promise<Page<PostView>> {
  return paginate(Post, { filter: visibleTo(principal), sort: { createdAt: -1 }, map: toView }, page);
}

export async function readPost(principal: Principal, id: string): Promise<PostView> {
  const post = await Post.findOne({ _id: id, ...visibleTo(principal) }).lean<PostRecord>();
  if (!post) throw noSuchPost(id);
  return toView(post);
}

/** One operation: the filter states who may change which post, so nothing changes between check and write. */
export async function updatePost(principal: Principal, id: string, patch: PostPatch): Promise<PostView> {
  const post = await Post.findOneAndUpdate(
    { _id: id, ...visibleTo(principal), ...changeableBy(principal, 'posts:update:any') },
    { $set: patch },
    { returnDocument: 'after', runValidators: true },
  ).lean<PostRecord>();
  if (!post) throw await refusal(principal, id, 'edit');
  return toView(post);
}

export async function deletePost(principal: Principal, id: string): Promise<void> {
  const { deletedCount } = await Post.deleteOne({ _id: id, ...visibleTo(principal), ...changeableBy(principal, 'posts:delete:any') });
  if (deletedCount === 0) throw await refusal(principal, id, 'delete');
}

/**
 * Hides a visible post and records who hid it and when. Hiding a hidden post changes nothing
 * (the first moderator's record stays). Not an edit, so updatedAt is left alone.
 */
export async function hidePost(principal: Principal, id: string): Promise<PostView> {
  const hidden = await Post.findOneAndUpdate(
    { _id: id, hidden: false },
    { $set: { hidden: true, hiddenBy: principal.id, hiddenAt: new Date() } },
    { returnDocument: 'after', timestamps: false },
  ).lean<PostRecord>();
  const post = hidden ?? (await Post.findById(id).lean<PostRecord>());
  if (!post) throw noSuchPost(id);
  return toView(post);
}

/** Shows a hidden post again and forgets who hid it; unhiding a visible post changes nothing. */
export async function unhidePost(id: string): Promise<PostView> {
  const post = await Post.findOneAndUpdate(
    { _id: id },
    { $set: { hidden: false }, $unset: { hiddenBy: 1, hiddenAt: 1 } },
    { returnDocument: 'after', timestamps: false },
  ).lean<PostRecord>();
  if (!post) throw noSuchPost(id);
  return toView(post);
}
