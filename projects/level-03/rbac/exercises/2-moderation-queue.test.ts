// Exercise 2: a moderation queue — GET /posts?hidden=true lists only hidden posts, for holders of posts:read:hidden.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { Post } from '../src/posts/post.model.ts';
import { aHiddenPost, accountWith, aPost, testApp } from '../test/support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let author: TestAccount;
let user: TestAccount;
let moderator: TestAccount;
let admin: TestAccount;
const hiddenIds: string[] = [];
const visibleIds: string[] = [];

interface Item {
  id: string;
  hidden: boolean;
}

beforeAll(async () => {
  app = testApp(redis.redis);
  [author, user, moderator, admin] = await Promise.all([
    accountWith(app, 'user'),
    accountWith(app, 'user'),
    accountWith(app, 'moderator'),
    accountWith(app, 'admin'),
  ]);
  for (let n = 0; n < 3; n += 1) {
    visibleIds.push((await aPost(author.user.id)).id);
    hiddenIds.push((await aHiddenPost(author.user.id, moderator.user.id)).id);
  }
});

const list = (account: TestAccount, query: Record<string, string>) => request(app).get('/posts').query(query).set(account.auth);
const idsOf = (items: Item[]) => items.map((item) => item.id).sort();

describe('exercise 2: the moderation queue, GET /posts?hidden=true', () => {
  test.each([
    ['a moderator', () => moderator],
    ['an admin', () => admin],
  ])('%s gets the hidden posts and nothing else', async (_role, account) => {
    const response = await list(account(), { hidden: 'true' });

    expect(response.status).toBe(200);
    expect(idsOf(response.body.items)).toEqual([...hiddenIds].sort());
    expect(response.body.total).toBe(await Post.countDocuments({ hidden: true }));
  });

  test('walking the queue by cursor, 2 at a time, returns each hidden post once, newest first, and no visible one', async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(moderator, { hidden: 'true', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...(response.body.items as Item[]));
      cursor = response.body.nextCursor as string | null;
    } while (cursor);

    expect(seen.map((item) => item.id)).toEqual([...hiddenIds].reverse());
    expect(seen.every((item) => item.hidden)).toBe(true);
  });

  test.each([
    ['a user', () => user],
    ['the author of the hidden posts', () => author],
  ])('%s who asks for it gets 403, not an empty list', async (_who, account) => {
    const response = await list(account(), { hidden: 'true' });

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.items).toBeUndefined();
  });

  test('hidden=false lists the visible posts only, for anyone who may read posts', async () => {
    const asUser = await list(user, { hidden: 'false' });
    const asModerator = await list(moderator, { hidden: 'false' });

    expect(asUser.status).toBe(200);
    expect(idsOf(asUser.body.items)).toEqual([...visibleIds].sort());
    expect(idsOf(asModerator.body.items)).toEqual([...visibleIds].sort());
  });

  test('without hidden, the listing is as before: moderators see every post, users the visible ones', async () => {
    const asModerator = await list(moderator, {});
    const asUser = await list(user, {});

    expect(idsOf(asModerator.body.items)).toEqual([...hiddenIds, ...visibleIds].sort());
    expect(idsOf(asUser.body.items)).toEqual([...visibleIds].sort());
  });

  test.each(['maybe', '1', 'TRUE', ''])('hidden=%p is a 400 naming it, for a moderator too', async (value) => {
    expectFieldProblem(await list(moderator, { hidden: value }), 'query', 'hidden');
  });

  test('anonymous gets 401', async () => {
    expect((await request(app).get('/posts?hidden=true')).status).toBe(401);
  });
});
