import { describe, expect, test } from '@jest/globals';
import { ConfigError, User } from '@hub/core';
import { expectFieldProblem, useTestDatabase, useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { testApp, testServiceConfig, login } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

const signup = (body: Record<string, unknown>) => request(testApp(redis.redis)).post('/auth/signup').send(body);

describe('POST /auth/signup', () => {
  test('when the password is 73 bytes in UTF-8 (37 characters), answers 400 naming password and stores nothing', async () => {
    const password = `${'é'.repeat(36)}a`;
    expect(Buffer.byteLength(password)).toBe(73);

    const response = await signup({ email: 'long-pass@example.com', password });

    expectFieldProblem(response, 'body', 'password');
    expect(response.body.errors[0].message).toMatch(/72 bytes/);
    expect(await User.exists({ email: 'long-pass@example.com' })).toBeNull();
  });

  test('a 72-byte password is accepted, and only that exact password signs in', async () => {
    const app = testApp(redis.redis);
    const password = 'é'.repeat(36);

    const response = await request(app).post('/auth/signup').send({ email: 'exact-72@example.com', password });

    expect(response.status).toBe(201);
    expect((await login(app, 'exact-72@example.com', password)).status).toBe(200);
    expect((await login(app, 'exact-72@example.com', `${password}x`)).status).toBe(401);
  });

  test('role and _id in the body are ignored: the account is a plain user', async () => {
    const id = new mongoose.Types.ObjectId().toString();

    const response = await signup({ email: 'climber@example.com', password: 'correct horse battery', role: 'admin', _id: id });

    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('user');
    const stored = await User.findOne({ email: 'climber@example.com' }).lean();
    expect(stored?.role).toBe('user');
    expect(String(stored?._id)).not.toBe(id);
  });

  test('passwordHash in the body is refused with a 400 naming it, and no account is created', async () => {
    const response = await signup({ email: 'planter@example.com', password: 'correct horse battery', passwordHash: 'x' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: 'passwordHash', message: 'is not a known field' }]);
    expect(await User.exists({ email: 'planter@example.com' })).toBeNull();
  });

  test('the password is stored as a bcrypt hash with the configured cost, never in clear', async () => {
    await signup({ email: 'hashed@example.com', password: 'correct horse battery' });

    const stored = await User.findOne({ email: 'hashed@example.com' }).select('+passwordHash').lean();

    expect(stored?.passwordHash).toMatch(/^\$2b\$04\$.{53}$/);
    expect(JSON.stringify(stored)).not.toContain('correct horse battery');
  });
});

describe('signup throttling', () => {
  const signupFrom = (app: Express, ip: string, body: Record<string, unknown>) =>
    request(app).post('/auth/signup').set('X-Forwarded-For', ip).send(body);

  test('after SIGNUP_MAX_PER_IP signups from one address, the next answers 429 with Retry-After, a taken email too: 409s cannot walk a list of emails', async () => {
    const app = testApp(redis.redis, { SIGNUP_MAX_PER_IP: '3', TRUST_PROXY: '1' });
    const taken = { email: 'taken@example.com', password: 'correct horse battery' };
    const answers = [
      (await signupFrom(app, '203.0.113.80', taken)).status,
      (await signupFrom(app, '203.0.113.80', taken)).status,
      (await signupFrom(app, '203.0.113.80', { email: 'new-one@example.com', password: 'correct horse battery' })).status,
    ];

    const refused = await signupFrom(app, '203.0.113.80', taken);
    const otherAddress = await signupFrom(app, '198.51.100.80', taken);

    expect(answers).toEqual([201, 409, 201]);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['server-timing']).toMatch(/limit;desc="failed here"/);
    expect(otherAddress.status).toBe(409);
  });

  test('the signup limit runs before validation: bad bodies count, and a refused signup hashes and stores nothing', async () => {
    const app = testApp(redis.redis, { SIGNUP_MAX_PER_IP: '2', TRUST_PROXY: '1' });
    await signupFrom(app, '203.0.113.81', { email: 'not an email' });
    await signupFrom(app, '203.0.113.81', { email: { $gt: '' } });

    const refused = await signupFrom(app, '203.0.113.81', { email: 'late@example.com', password: 'correct horse battery' });

    expect(refused.status).toBe(429);
    expect(await User.exists({ email: 'late@example.com' })).toBeNull();
  });
});

describe('BCRYPT_COST', () => {
  test('in production, a cost below 10 stops the service at boot', () => {
    const config = testServiceConfig({ NODE_ENV: 'production', BCRYPT_COST: '9' });

    expect(() => buildApp({ config, db: mongoose.connection, redis: redis.redis })).toThrow(ConfigError);
  });

  test('in production, cost 10 boots', () => {
    const config = testServiceConfig({ NODE_ENV: 'production', BCRYPT_COST: '10' });

    expect(() => buildApp({ config, db: mongoose.connection, redis: redis.redis })).not.toThrow();
  });
});
