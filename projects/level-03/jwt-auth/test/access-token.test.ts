import { describe, expect, test } from '@jest/globals';
import { packageInfo } from '@hub/core';
import { signUp, testTokens, useTestDatabase, useTestRedis } from '@hub/testkit';
import request from 'supertest';
import { testApp, testServiceConfig } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
const config = testServiceConfig();
// The audience is the service's name (JWT_AUDIENCE is not set).
const service = packageInfo(import.meta.url).name;
const tokens = testTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: service });

describe('GET /auth/me with a forged or stale access token', () => {
  test('with the access token from signup, answers 200 with the account', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const response = await request(app).get('/auth/me').set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: account.user.id, email: account.email, role: 'user' });
  });

  test("the access token is an HS256 JWT for this issuer and this service's audience that expires in JWT_ACCESS_TTL_SECONDS", async () => {
    const account = await signUp(testApp(redis.redis));

    const { header, claims } = tokens.decode(account.token);

    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({ sub: account.user.id, role: 'user', iss: config.JWT_ISSUER, aud: 'level-03/jwt-auth' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(config.JWT_ACCESS_TTL_SECONDS);
  });

  const forgeries: Array<[string, (principal: { id: string; role: string }) => string]> = [
    ['an unsigned token (alg none)', tokens.algNone],
    ['an HS256 token signed with another secret', tokens.wrongSecret],
    ['a token signed with the right secret but HS512', tokens.wrongAlgorithm],
    ['an expired token', tokens.expired],
    ['a token for another issuer', tokens.wrongIssuer],
    ['a token for another audience', tokens.wrongAudience],
    ['a correctly signed token with no expiry', tokens.noExpiry],
    ['a correctly signed token valid for ten years', tokens.longLived],
    ['a correctly signed, unexpired token issued a day ago (older than JWT_ACCESS_TTL_SECONDS)', tokens.stale],
    [
      'a token another service signed with the same secret (audience level-03/rbac)',
      testTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: 'level-03/rbac' }).valid,
    ],
  ];

  test.each(forgeries)('with %s, answers 401 invalid_token and reveals nothing', async (_name, forge) => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const response = await request(app)
      .get('/auth/me')
      .set('Authorization', `Bearer ${forge({ id: account.user.id, role: 'admin' })}`);

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(response.body).not.toHaveProperty('email');
  });

  test('a refresh token is not an access token: sent as a Bearer token, answers 401', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const response = await request(app).get('/auth/me').set('Authorization', `Bearer ${account.refreshToken}`);

    expect(response.status).toBe(401);
  });
});
