import { describe, expect, test } from '@jest/globals';
import { signUp, testConfig, useTestDatabase, withoutRequestId } from '@hub/testkit';
import request from 'supertest';
import { accountConfig, ConfigError, createAccounts, createRefreshTokens, User, type AccessTokenRef } from '../src/index.ts';
import { appWith } from './support.ts';

useTestDatabase();
const config = testConfig(accountConfig);
const accounts = createAccounts(config, { service: 'core-test' });
const app = appWith([['/auth', accounts.router]]);
const password = 'correct horse battery';
let counter = 0;
const freshEmail = () => `person${++counter}-${Date.now()}@example.com`;

describe('POST /auth/signup', () => {
  test('creates a user role account with a bcrypt hash, and answers a working token without secrets', async () => {
    const email = freshEmail();

    const response = await request(app).post('/auth/signup').send({ email, password, name: 'Ada' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      user: { id: expect.any(String), email, name: 'Ada', role: 'user', createdAt: expect.any(String) },
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: config.JWT_ACCESS_TTL_SECONDS,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|__v|correct horse/);
    const stored = await User.findOne({ email }).select('+passwordHash').lean();
    expect(stored?.passwordHash).toMatch(/^\$2[ab]\$04\$/);
    const me = await request(app).get('/auth/me').set('Authorization', `Bearer ${response.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(response.body.user);
  });

  test('normalises the email: trimmed and lower-cased, so the other spelling is a 409', async () => {
    const email = freshEmail();
    const first = await request(app)
      .post('/auth/signup')
      .send({ email: `  ${email.toUpperCase()} `, password });

    const second = await request(app).post('/auth/signup').send({ email, password });

    expect(first.body.user.email).toBe(email);
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/problem\+json/);
    expect(await User.countDocuments({ email })).toBe(1);
  });

  test('ignores the server-set role, _id and createdAt in the body, like every resource body', async () => {
    const email = freshEmail();
    const planted = { role: 'admin', _id: '64b7f0c2a1b2c3d4e5f60718', createdAt: '2000-01-01T00:00:00.000Z' };

    const response = await request(app)
      .post('/auth/signup')
      .send({ email, password, ...planted });

    expect(response.status).toBe(201);
    const stored = await User.findOne({ email }).lean();
    expect(stored?.role).toBe('user');
    expect(String(stored?._id)).not.toBe(planted._id);
    expect(stored?.createdAt.getFullYear()).toBeGreaterThan(2020);
  });

  test.each([
    ['passwordHash', 'x'],
    ['nmae', 'Ada'],
  ])('refuses any other unknown field (%s) with a 400 naming it, and creates no account', async (field, value) => {
    const email = freshEmail();

    const response = await request(app)
      .post('/auth/signup')
      .send({ email, password, [field]: value });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field, message: 'is not a known field' }]);
    expect(await User.exists({ email })).toBeNull();
  });

  test('login and refresh bodies are strict too: an unknown field is a 400 naming it', async () => {
    const response = await request(app).post('/auth/login').send({ email: freshEmail(), password, remember: true });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: 'remember', message: 'is not a known field' }]);
  });

  test('counts the password length in bytes: 72 bytes of é pass, 74 are refused', async () => {
    const ok = await request(app)
      .post('/auth/signup')
      .send({ email: freshEmail(), password: 'é'.repeat(36) });
    const tooLong = await request(app)
      .post('/auth/signup')
      .send({ email: freshEmail(), password: 'é'.repeat(37) });

    expect(ok.status).toBe(201);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'password', message: expect.stringMatching(/72 bytes/) })]);
  });

  test.each([
    [{ email: 'not-an-email', password }, 'email'],
    [{ email: { $gt: '' }, password }, 'email'],
    [{ password }, 'email'],
    [{ email: 'a@example.com', password: 'short' }, 'password'],
    [{ email: 'a@example.com', password: 12345678 }, 'password'],
  ])('bad input %o → 400 naming %s, nothing stored', async (body, field) => {
    const before = await User.countDocuments();

    const response = await request(app).post('/auth/signup').send(body);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    expect(await User.countDocuments()).toBe(before);
  });

  test('ten concurrent signups with one email: exactly one account', async () => {
    const email = freshEmail();

    const responses = await Promise.all(Array.from({ length: 10 }, () => request(app).post('/auth/signup').send({ email, password })));

    expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await User.countDocuments({ email })).toBe(1);
  });
});

describe('POST /auth/login', () => {
  test('the right password answers a token for that account', async () => {
    const account = await signUp(app, { email: freshEmail() });

    const response = await request(app).post('/auth/login').send({ email: account.email.toUpperCase(), password });

    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(account.user.id);
    const me = await request(app).get('/auth/me').set('Authorization', `Bearer ${response.body.accessToken}`);
    expect(me.body.email).toBe(account.email);
  });

  test('an unknown email and a wrong password get the same status, headers and body', async () => {
    const account = await signUp(app, { email: freshEmail() });

    const wrongPassword = await request(app).post('/auth/login').send({ email: account.email, password: 'wrong password!' });
    const unknownEmail = await request(app).post('/auth/login').send({ email: freshEmail(), password: 'wrong password!' });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(withoutRequestId(wrongPassword.body)).toEqual(withoutRequestId(unknownEmail.body));
    expect(wrongPassword.body.detail).toBe('Email or password is incorrect.');
    expect(wrongPassword.headers['www-authenticate']).toBe(unknownEmail.headers['www-authenticate']);
  });

  test('a password over 72 bytes never signs in, even when its first 72 bytes are right', async () => {
    const exact = 'p'.repeat(72);
    const account = await signUp(app, { email: freshEmail(), password: exact });

    const response = await request(app)
      .post('/auth/login')
      .send({ email: account.email, password: `${exact}extra` });

    expect(response.status).toBe(401);
  });

  test('an operator object as the password is a 400, not a query', async () => {
    const response = await request(app)
      .post('/auth/login')
      .send({ email: 'a@x.io', password: { $gt: '' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
  });
});

describe('GET /auth/me', () => {
  test('without a token → 401', async () => {
    const response = await request(app).get('/auth/me');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('a valid token for a deleted account → 401', async () => {
    const account = await signUp(app, { email: freshEmail() });
    await User.deleteOne({ email: account.email });

    const response = await request(app).get('/auth/me').set(account.auth);

    expect(response.status).toBe(401);
  });
});

describe('the audience of access tokens', () => {
  // Two services as they boot by default: the same issuer, and (as happens) the same secret.
  const notes = appWith([['/auth', createAccounts(config, { service: 'level-02/notes' }).router]]);
  const todo = appWith([['/auth', createAccounts(config, { service: 'level-02/todo' }).router]]);

  test("is the service's name by default, so a token one service issued is refused by another with the same secret", async () => {
    const signup = await request(notes).post('/auth/signup').send({ email: freshEmail(), password });
    const token = String(signup.body.accessToken);

    const here = await request(notes).get('/auth/me').set('Authorization', `Bearer ${token}`);
    const elsewhere = await request(todo).get('/auth/me').set('Authorization', `Bearer ${token}`);

    expect(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({ aud: 'level-02/notes' });
    expect(here.status).toBe(200);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.detail).toBe('The access token is not valid.');
  });

  test("is JWT_AUDIENCE when it is set, for services meant to accept each other's tokens", async () => {
    const shared = { ...config, JWT_AUDIENCE: 'backend-hub-suite' };
    const issuer = appWith([['/auth', createAccounts(shared, { service: 'level-06/auth' }).router]]);
    const reader = appWith([['/auth', createAccounts(shared, { service: 'level-06/users' }).router]]);
    const signup = await request(issuer).post('/auth/signup').send({ email: freshEmail(), password });

    const response = await request(reader)
      .get('/auth/me')
      .set('Authorization', `Bearer ${String(signup.body.accessToken)}`);

    expect(response.status).toBe(200);
  });
});

test('production refuses a bcrypt cost below 10', () => {
  expect(() => createAccounts({ ...config, NODE_ENV: 'production', BCRYPT_COST: 8 }, { service: 'core-test' })).toThrow(ConfigError);
});

describe('refresh token lifetime in the answer', () => {
  test("refreshExpiresIn is counted by the token store's own clock, so an injected clock gives the configured lifetime", async () => {
    const refreshTokens = createRefreshTokens({ ttlSeconds: 3_600, familyMaxSeconds: 86_400, now: () => new Date('2020-01-01T00:00:00Z') });
    const withRefresh = appWith([['/auth', createAccounts(config, { service: 'core-test', refreshTokens }).router]]);

    const response = await request(withRefresh).post('/auth/signup').send({ email: freshEmail(), password });

    expect(response.status).toBe(201);
    expect(response.body.refreshExpiresIn).toBe(3_600);
  });
});

describe('POST /auth/logout with a deny-list of access tokens (revokedAccessTokens)', () => {
  const listed: AccessTokenRef[] = [];
  const revokedAccessTokens = {
    add: async (ref: AccessTokenRef) => void listed.push(ref),
    has: async (jti: string) => listed.some((ref) => ref.jti === jti),
  };
  const refreshTokens = createRefreshTokens({ ttlSeconds: 3_600, familyMaxSeconds: 86_400 });
  const withDenyList = appWith([['/auth', createAccounts(config, { service: 'core-test', refreshTokens, revokedAccessTokens }).router]]);
  const signIn = async (email: string) => (await request(withDenyList).post('/auth/login').send({ email, password })).body;
  const me = (accessToken: string) => request(withDenyList).get('/auth/me').set('Authorization', `Bearer ${accessToken}`);

  test('lists the Bearer token sent with it until its exp: it answers 401 from then on, another login of the account keeps working', async () => {
    const { email } = await signUp(withDenyList, { email: freshEmail() });
    const [phone, laptop] = [await signIn(email), await signIn(email)];

    const logout = await request(withDenyList)
      .post('/auth/logout')
      .set('Authorization', `Bearer ${phone.accessToken}`)
      .send({ refreshToken: phone.refreshToken });

    expect(logout.status).toBe(204);
    const { jti, exp } = JSON.parse(Buffer.from(String(phone.accessToken).split('.')[1] ?? '', 'base64url').toString()) as {
      jti: string;
      exp: number;
    };
    expect(listed).toContainEqual({ jti, expiresAt: new Date(exp * 1000) });
    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await me(laptop.accessToken)).status).toBe(200);
  });

  test.each([
    ['without an Authorization header', undefined],
    ['with a token that is not valid', 'Bearer not-a-jwt'],
    ['with another scheme', 'Basic dXNlcjpwYXNz'],
  ])('%s, still signs out (204) and lists nothing', async (_case, authorization) => {
    const { email } = await signUp(withDenyList, { email: freshEmail() });
    const session = await signIn(email);
    const before = listed.length;

    const logout = request(withDenyList).post('/auth/logout');
    if (authorization) logout.set('Authorization', authorization);
    const response = await logout.send({ refreshToken: session.refreshToken });

    expect(response.status).toBe(204);
    expect(listed).toHaveLength(before);
    expect((await request(withDenyList).post('/auth/refresh').send({ refreshToken: session.refreshToken })).status).toBe(401);
  });
});
