import { randomUUID } from 'node:crypto';
import type { AccountView } from '@hub/core';
import type { Express } from 'express';
import request from 'supertest';

export interface TestAccount {
  user: AccountView;
  email: string;
  password: string;
  token: string;
  /** Set when the service hands out refresh tokens. */
  refreshToken: string | undefined;
  /** `{ Authorization: 'Bearer …' }`, for `.set(account.auth)`. */
  auth: { Authorization: string };
}

/**
 * Signs a new account up through the app's own POST /auth/signup (the shared accounts) and
 * returns its token. Each call makes a new user with a unique email unless one is given.
 */
export async function signUp(
  app: Express,
  { email, password = 'correct horse battery', name }: { email?: string; password?: string; name?: string } = {},
): Promise<TestAccount> {
  const address = email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const response = await request(app)
    .post('/auth/signup')
    .send({ email: address, password, ...(name ? { name } : {}) });
  if (response.status !== 201) throw new Error(`signUp(${address}): expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  const body = response.body as { user: AccountView; accessToken: string; refreshToken?: string };
  return {
    user: body.user,
    email: address,
    password,
    token: body.accessToken,
    refreshToken: body.refreshToken,
    auth: { Authorization: `Bearer ${body.accessToken}` },
  };
}
