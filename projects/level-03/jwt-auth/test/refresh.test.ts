import { describe, expect, test } from '@jest/globals';
import { RefreshToken, sha256 } from '@hub/core';
import { expectFieldProblem, signUp, useTestDatabase, useTestRedis } from '@hub/testkit';
import request from 'supertest';
import { testApp, login, refresh, storedRefreshToken } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('refresh tokens at signup and login', () => {
  test('are opaque: 32 random bytes in base64url, not a JWT, different at every login', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const second = await login(app, account.email);

    expect(account.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(second.body.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(second.body.refreshToken).not.toBe(account.refreshToken);
    expect(second.body.refreshExpiresIn).toBe(14 * 86_400);
  });

  test('only the SHA-256 of the token is stored: the token itself is nowhere in the collection', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const token = String(account.refreshToken);

    const stored = await RefreshToken.find({ user: account.user.id }).lean();

    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});

describe('POST /auth/refresh', () => {
  test('trades a refresh token for a new pair; the access token works and the old refresh token is spent', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const rotated = await refresh(app, account.refreshToken);

    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ tokenType: 'Bearer', user: { id: account.user.id } });
    expect(rotated.body.refreshToken).not.toBe(account.refreshToken);
    const me = await request(app).get('/auth/me').set('Authorization', `Bearer ${rotated.body.accessToken}`);
    expect(me.status).toBe(200);
    expect((await storedRefreshToken(String(account.refreshToken)))?.usedAt).toBeInstanceOf(Date);
  });

  test('when an already-used refresh token comes back, answers 401 and revokes the whole family, including the token its first use issued', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const first = await refresh(app, account.refreshToken);

    const replay = await refresh(app, account.refreshToken);
    const afterReplay = await refresh(app, first.body.refreshToken);

    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe('urn:backend-hub:problem:refresh-token-reused');
    expect(afterReplay.status).toBe(401);
    expect((await storedRefreshToken(first.body.refreshToken))?.revokedAt).toBeInstanceOf(Date);
  });

  test('reuse revokes only that family: the same user signed in elsewhere keeps refreshing', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const laptop = await login(app, account.email);
    await refresh(app, account.refreshToken);

    await refresh(app, account.refreshToken);
    const laptopRefresh = await refresh(app, laptop.body.refreshToken);

    expect(laptopRefresh.status).toBe(200);
  });

  test('when 8 requests present the same refresh token at once, it counts as reuse: at most one gets a pair, and the whole family ends revoked', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(app, account.refreshToken)));

    const issued = answers.filter((answer) => answer.status === 200);
    expect(issued.length).toBeLessThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(8 - issued.length);
    const family = (await storedRefreshToken(String(account.refreshToken)))?.family;
    // One claim won (the original and exactly one successor exist), and reuse revoked both.
    expect(await RefreshToken.countDocuments({ family })).toBe(2);
    expect(await RefreshToken.countDocuments({ family, revokedAt: null })).toBe(0);
    for (const answer of issued) expect((await refresh(app, answer.body.refreshToken)).status).toBe(401);
  });

  test('when the refresh token has expired, answers 401 and issues nothing', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    await RefreshToken.updateOne({ tokenHash: sha256(String(account.refreshToken)) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const response = await refresh(app, account.refreshToken);

    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:backend-hub:problem:invalid-refresh-token');
    expect(await RefreshToken.countDocuments({ user: account.user.id })).toBe(1);
  });

  test('when the refresh token was never issued, answers 401', async () => {
    const response = await refresh(testApp(redis.redis), 'A'.repeat(43));

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test.each([
    ['missing', {}],
    ['an object', { refreshToken: { $ne: '' } }],
    ['empty', { refreshToken: '' }],
    ['a number', { refreshToken: 42 }],
    ['longer than 256 characters', { refreshToken: 'a'.repeat(257) }],
  ])('when refreshToken is %s, answers 400 naming it', async (_case, body) => {
    const response = await request(testApp(redis.redis)).post('/auth/refresh').send(body);

    expectFieldProblem(response, 'body', 'refreshToken');
  });
});

describe('the absolute lifetime of a login (REFRESH_FAMILY_MAX_SECONDS)', () => {
  const HOUR = 3_600;
  const DAY = 24 * HOUR;

  test('refreshing keeps a login alive only until REFRESH_FAMILY_MAX_SECONDS after it: refreshExpiresIn counts down to that end, and a refresh past it answers 401', async () => {
    // A stopped clock, moved by hand: the family grows three days old without the test waiting.
    let at = Date.parse('2030-01-01T00:00:00.000Z');
    const app = testApp(
      redis.redis,
      { REFRESH_TTL_SECONDS: String(DAY), REFRESH_FAMILY_MAX_SECONDS: String(3 * DAY) },
      { now: () => new Date(at) },
    );
    const account = await signUp(app);
    let refreshToken = String(account.refreshToken);
    const lifetimes: number[] = [];
    for (let rotation = 0; rotation < 3; rotation += 1) {
      at += 20 * HOUR * 1000;
      const rotated = await refresh(app, refreshToken);
      expect(rotated.status).toBe(200);
      lifetimes.push(rotated.body.refreshExpiresIn as number);
      refreshToken = rotated.body.refreshToken as string;
    }

    at += 12 * HOUR * 1000 + 1000;
    const pastTheEnd = await refresh(app, refreshToken);

    // At 20 h and 40 h a full day was left; at 60 h only the family's last 12 hours.
    expect(lifetimes).toEqual([DAY, DAY, 12 * HOUR]);
    expect(pastTheEnd.status).toBe(401);
    expect(pastTheEnd.body.type).toBe('urn:backend-hub:problem:invalid-refresh-token');
    expect(pastTheEnd.body).not.toHaveProperty('refreshToken');
    expect(await RefreshToken.countDocuments({ user: account.user.id })).toBe(4);
  });

  test('a new login starts a new family with its own end', async () => {
    let at = Date.parse('2030-01-01T00:00:00.000Z');
    const app = testApp(
      redis.redis,
      { REFRESH_TTL_SECONDS: String(DAY), REFRESH_FAMILY_MAX_SECONDS: String(DAY) },
      { now: () => new Date(at) },
    );
    const account = await signUp(app);
    at += DAY * 1000 + 1000;

    const again = await login(app, account.email);

    expect((await refresh(app, account.refreshToken)).status).toBe(401);
    expect(again.body.refreshExpiresIn).toBe(DAY);
    expect((await refresh(app, again.body.refreshToken)).status).toBe(200);
  });
});

describe('POST /auth/logout', () => {
  test('revokes the refresh token and every token rotated from the same login; answers 204', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const rotated = await refresh(app, account.refreshToken);

    const response = await request(app).post('/auth/logout').send({ refreshToken: rotated.body.refreshToken });

    expect(response.status).toBe(204);
    expect((await refresh(app, rotated.body.refreshToken)).status).toBe(401);
    expect(await RefreshToken.countDocuments({ user: account.user.id, revokedAt: null })).toBe(0);
  });

  test('leaves the other logins of the same user signed in', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);
    const phone = await login(app, account.email);

    await request(app).post('/auth/logout').send({ refreshToken: account.refreshToken });

    expect((await refresh(app, phone.body.refreshToken)).status).toBe(200);
  });

  test('with a token that was never issued, still answers 204 and changes nothing', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const response = await request(app)
      .post('/auth/logout')
      .send({ refreshToken: 'B'.repeat(43) });

    expect(response.status).toBe(204);
    expect((await refresh(app, account.refreshToken)).status).toBe(200);
  });
});
