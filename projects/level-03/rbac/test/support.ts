// What the rbac tests share: the app on this file's database and Redis keys, accounts holding a
// role, post factories, and raw reads of what is stored.
import { randomUUID } from 'node:crypto';
import { User, type Redis } from '@hub/core';
import { signUp, testConfig, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import type { Role } from '../src/permissions.ts';
import { Post } from '../src/posts/post.model.ts';
import { promote } from '../src/promote.ts';

export const testServiceConfig = (env: Record<string, string> = {}) => testConfig(serviceConfig, env);

/** The app as it boots, on this test file's database and Redis keys. */
export const testApp = (redis: Redis): Express => buildApp({ config: testServiceConfig(), db: mongoose.connection, redis });

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * A new account holding `role`: signed up through the API, promoted the way an operator would
 * (the promote script's function), then logged in, so its token carries the role too.
 */
export async function accountWith(app: Express, role: Role): Promise<TestAccount> {
  const account = await signUp(app);
  if (role !== 'user') await promote([account.email, role]);
  const login = await request(app).post('/auth/login').send({ email: account.email, password: account.password });
  if (login.status !== 200) throw new Error(`accountWith(${role}): login answered ${login.status}`);
  const token = login.body.accessToken as string;
  return { ...account, user: login.body.user, token, auth: { Authorization: `Bearer ${token}` } };
}

/** A post by `author`, written straight to the collection; override any field (hidden: true…). */
export async function aPost(author: string, overrides: Record<string, unknown> = {}) {
  const post = await Post.create({ title: unique('title'), body: 'some text', author, ...overrides });
  return { id: String(post._id) };
}

/** A hidden post by `author`, as if `moderator` had hidden it. */
export const aHiddenPost = (author: string, moderator: string) =>
  aPost(author, { hidden: true, hiddenBy: moderator, hiddenAt: new Date() });

/** The stored post, read straight from the collection (not through the API under test). */
export const storedPost = (id: string) => Post.findById(id).lean();

/** The role the database holds for an account. */
export const storedRole = async (id: string) => (await User.findById(id).lean())?.role;

/** The claims of a JWT, decoded without checking it: what the token itself says. */
export const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
