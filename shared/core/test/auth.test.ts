import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { testTokens } from '@hub/testkit';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  ApiRouter,
  AppError,
  authenticate,
  createAccess,
  createTokenService,
  grants,
  ownedBy,
  principalOf,
  type AccessTokenRef,
  type Principal,
  type RevokedAccessTokens,
} from '../src/index.ts';
import { appWith, timingEntry } from './support.ts';

const keys = { secret: 'a-test-secret-that-is-long-enough-1234', issuer: 'hub-tests', audience: 'hub-tests-api' };
const tokens = testTokens(keys);
const alice: Principal = { id: 'user-alice', role: 'editor' };

/** Notes kept in memory: enough to prove the ownership helpers. */
const notes = new Map([
  ['n1', { id: 'n1', owner: 'user-alice', text: "alice's note" }],
  ['n2', { id: 'n2', owner: 'user-bob', text: "bob's note" }],
]);

const permissions = { admin: ['*'], editor: ['notes:read', 'notes:update'], reader: ['notes:read'], janitor: ['notes:delete'] } as const;
const access = createAccess({ tokens: createTokenService({ ...keys, ttlSeconds: 300 }), permissions });

const routes = new ApiRouter('auth')
  .get('/me', { summary: 'Who am I', responses: { 200: 'the principal' } }, access.authenticate(), (req: Request, res: Response) => {
    res.json(principalOf(req));
  })
  .delete(
    '/notes/:id',
    { summary: 'Delete a note', responses: { 204: 'deleted' } },
    access.authenticate(),
    access.authorize('notes:delete'),
    (_req: Request, res: Response) => {
      res.status(204).end();
    },
  )
  .get(
    '/notes/:id',
    { summary: 'Read my note', responses: { 200: 'the note' } },
    access.authenticate(),
    access.authorize('notes:read'),
    (req: Request, res: Response) => {
      // Ownership in the filter, as the services do it: someone else's note is as missing as a deleted one.
      const note = [...notes.values()].find(
        (candidate) => candidate.id === req.params.id && candidate.owner === ownedBy(principalOf(req)).owner,
      );
      if (!note) throw new AppError(404, 'not-found', 'No such resource.');
      res.json(note);
    },
  )
  .get(
    '/unauthenticated-authorize',
    { summary: 'authorize without authenticate', responses: { 200: 'never' } },
    access.authorize('notes:read'),
    (_req: Request, res: Response) => {
      res.json({ reached: true });
    },
  );

const app = appWith([['', routes]]);
const bearer = (token: string) => `Bearer ${token}`;
const claimsFor = (subject: string) => ({ algorithm: 'HS256' as const, subject, issuer: keys.issuer, audience: keys.audience });

describe('authenticate()', () => {
  test('with a valid token, answers 200 with the principal it carries', async () => {
    const response = await request(app)
      .get('/me')
      .set('Authorization', bearer(tokens.valid(alice)));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'user-alice', role: 'editor' });
    expect(timingEntry(response.headers['server-timing'], 'authn')).toMatch(/^authn;dur=\d+\.\d$/);
  });

  test('accepts the scheme in any letter case (RFC 9110: schemes are case-insensitive)', async () => {
    const response = await request(app)
      .get('/me')
      .set('Authorization', `bearer ${tokens.valid(alice)}`);

    expect(response.status).toBe(200);
  });

  test('without an Authorization header, answers 401 with a bare Bearer challenge', async () => {
    const response = await request(app).get('/me');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(response.body).toMatchObject({
      status: 401,
      type: 'urn:backend-hub:problem:unauthorized',
      detail: expect.stringContaining('Bearer'),
    });
    expect(timingEntry(response.headers['server-timing'], 'authn')).toMatch(/^authn;desc="failed here";dur=/);
  });

  const invalid: Array<[string, () => string, RegExp]> = [
    ['a Basic credential', () => 'Basic dXNlcjpwYXNz', /must be "Bearer <token>"/],
    ['the scheme alone', () => 'Bearer', /must be "Bearer <token>"/],
    ['two spaces before the token', () => `Bearer  ${tokens.valid(alice)}`, /must be "Bearer <token>"/],
    ['a token and something after it', () => `Bearer ${tokens.valid(alice)} extra`, /must be "Bearer <token>"/],
    ['a token that is not a JWT', () => bearer('not-a-jwt'), /is not valid/],
    ['an unsigned token (alg none)', () => bearer(tokens.algNone(alice)), /is not valid/],
    ['a token signed with HS512 and the right secret', () => bearer(tokens.wrongAlgorithm(alice)), /is not valid/],
    ['an expired token', () => bearer(tokens.expired(alice)), /has expired/],
    ['a token signed with another secret', () => bearer(tokens.wrongSecret(alice)), /is not valid/],
    ['a token for another audience', () => bearer(tokens.wrongAudience(alice)), /is not valid/],
    ['a token from another issuer', () => bearer(tokens.wrongIssuer(alice)), /is not valid/],
    ['a correctly signed token valid for ten years (longer than the TTL)', () => bearer(tokens.longLived(alice)), /is not valid/],
    ['a correctly signed, unexpired token issued a day ago (older than the TTL)', () => bearer(tokens.stale(alice)), /has expired/],
    [
      'a correctly signed token without iat (its age cannot be checked)',
      () => bearer(jwt.sign({ role: 'editor' }, keys.secret, { ...claimsFor('user-alice'), expiresIn: 60, noTimestamp: true })),
      /is not valid/,
    ],
    [
      'a correctly signed token issued an hour in the future (it would outlive the TTL)',
      () => {
        const iat = Math.floor(Date.now() / 1000) + 3600;
        return bearer(jwt.sign({ role: 'editor', iat, exp: iat + 60 }, keys.secret, claimsFor('user-alice')));
      },
      /is not valid/,
    ],
    [
      'an RS256 token (key-confusion attempt)',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return bearer(
          jwt.sign({ role: 'admin' }, privateKey, { algorithm: 'RS256', subject: 'mallory', issuer: keys.issuer, audience: keys.audience }),
        );
      },
      /is not valid/,
    ],
    [
      'a token whose signature was swapped onto other claims',
      () => {
        const [header, , signature] = tokens.valid(alice).split('.');
        const forged = Buffer.from(
          JSON.stringify({ sub: 'user-alice', role: 'admin', iss: keys.issuer, aud: keys.audience, exp: 9_999_999_999 }),
        ).toString('base64url');
        return bearer(`${header}.${forged}.${signature}`);
      },
      /is not valid/,
    ],
    [
      'a correctly signed token without a subject',
      () =>
        bearer(
          jwt.sign({ role: 'editor' }, keys.secret, { algorithm: 'HS256', issuer: keys.issuer, audience: keys.audience, expiresIn: 60 }),
        ),
      /is not valid/,
    ],
    [
      'a correctly signed token without a role',
      () =>
        bearer(
          jwt.sign({}, keys.secret, { algorithm: 'HS256', subject: 'x', issuer: keys.issuer, audience: keys.audience, expiresIn: 60 }),
        ),
      /is not valid/,
    ],
  ];

  test.each(invalid)('with %s, answers 401 invalid_token problem+json', async (_case, header, detail) => {
    const response = await request(app).get('/me').set('Authorization', header());

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(response.body.detail).toMatch(detail);
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  test('a correctly signed token without an expiry is refused (tokens must be short-lived)', async () => {
    const forever = jwt.sign({ role: 'admin' }, keys.secret, {
      algorithm: 'HS256',
      subject: 'user-alice',
      issuer: keys.issuer,
      audience: keys.audience,
    });

    const response = await request(app).get('/me').set('Authorization', bearer(forever));

    expect(response.status).toBe(401);
  });
});

describe('createTokenService()', () => {
  const service = createTokenService({ ...keys, ttlSeconds: 120 });

  test('signs HS256 tokens with subject, role, issuer, audience and the configured lifetime', () => {
    const token = service.sign(alice);
    const decoded = jwt.decode(token, { complete: true });

    expect(decoded?.header.alg).toBe('HS256');
    expect(decoded?.payload).toMatchObject({ sub: 'user-alice', role: 'editor', iss: 'hub-tests', aud: 'hub-tests-api' });
    const { iat, exp } = decoded?.payload as { iat: number; exp: number };
    expect(exp - iat).toBe(120);
    expect(service.verify(token)).toEqual(alice);
  });

  test('refuses what it did not sign with a 401 AppError', () => {
    expect(() => service.verify(tokens.wrongSecret(alice))).toThrow(AppError);
    expect(() => service.verify(tokens.wrongSecret(alice))).toThrow(expect.objectContaining({ status: 401 }));
  });
});

/** A deny-list in memory: what a service keeps in Redis. `failing` makes every call reject, like Redis down. */
function memoryDenyList({ failing = false } = {}) {
  const added: AccessTokenRef[] = [];
  const asked: string[] = [];
  const list: RevokedAccessTokens = {
    add: async (ref) => {
      if (failing) throw new Error('connection refused');
      added.push(ref);
    },
    has: async (jti) => {
      if (failing) throw new Error('connection refused');
      asked.push(jti);
      return added.some((ref) => ref.jti === jti);
    },
  };
  return { list, added, asked };
}

describe('a deny-list of access tokens (TokenOptions.revoked)', () => {
  const meRoute = (service: ReturnType<typeof createTokenService>) =>
    appWith([
      [
        '',
        new ApiRouter('auth').get(
          '/me',
          { summary: 'Who am I', responses: { 200: 'the principal' } },
          authenticate(service),
          (req, res) => {
            res.json(principalOf(req));
          },
        ),
      ],
    ]);

  test('every token carries a jti of its own, so one token can be named', () => {
    const service = createTokenService({ ...keys, ttlSeconds: 120 });

    const [first, second] = [service.sign(alice), service.sign(alice)].map((token) => tokens.decode(token).claims.jti);

    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
  });

  test('revoke() lists the token with its jti and exp; authenticate() then answers 401 invalid_token for it, and not for another', async () => {
    const denyList = memoryDenyList();
    const service = createTokenService({ ...keys, ttlSeconds: 120, revoked: denyList.list });
    const app = meRoute(service);
    const [recalled, other] = [service.sign(alice), service.sign(alice)];

    await service.revoke(recalled);
    const refused = await request(app).get('/me').set('Authorization', bearer(recalled));
    const accepted = await request(app).get('/me').set('Authorization', bearer(other));

    const { jti, exp } = tokens.decode(recalled).claims as { jti: string; exp: number };
    expect(denyList.added).toEqual([{ jti, expiresAt: new Date(exp * 1000) }]);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(refused.body.detail).toBe('The access token was revoked.');
    expect(timingEntry(refused.headers['server-timing'], 'authn')).toMatch(/^authn;desc="failed here";dur=/);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual(alice);
  });

  test('revoke() ignores a token that is not valid (nothing to recall), and a service without a deny-list recalls nothing', async () => {
    const denyList = memoryDenyList();
    const service = createTokenService({ ...keys, ttlSeconds: 120, revoked: denyList.list });
    const plain = createTokenService({ ...keys, ttlSeconds: 120 });
    const token = plain.sign(alice);

    await service.revoke('not-a-jwt');
    await service.revoke(tokens.wrongSecret(alice));
    await plain.revoke(token);

    expect(denyList.added).toEqual([]);
    expect((await request(meRoute(plain)).get('/me').set('Authorization', bearer(token))).status).toBe(200);
  });

  test('a token is checked against the deny-list only once it is valid, and one without a jti (signed before jti existed) is not asked about', async () => {
    const denyList = memoryDenyList();
    const app = meRoute(createTokenService({ ...keys, ttlSeconds: 300, revoked: denyList.list }));

    const expired = await request(app)
      .get('/me')
      .set('Authorization', bearer(tokens.expired(alice)));
    const withoutJti = await request(app)
      .get('/me')
      .set('Authorization', bearer(tokens.valid(alice)));

    expect(expired.status).toBe(401);
    expect(withoutJti.status).toBe(200);
    expect(denyList.asked).toEqual([]);
  });

  test('when the deny-list cannot be read, answers 503 with Retry-After: a recalled token never gets through', async () => {
    const service = createTokenService({ ...keys, ttlSeconds: 120, revoked: memoryDenyList({ failing: true }).list });

    const response = await request(meRoute(service))
      .get('/me')
      .set('Authorization', bearer(service.sign(alice)));

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.type).toBe('urn:backend-hub:problem:revocations-unavailable');
    await expect(service.revoke(service.sign(alice))).rejects.toMatchObject({ status: 503 });
  });
});

describe('authorize()', () => {
  test('when the role lacks the permission, answers 403 naming role and permission', async () => {
    const response = await request(app)
      .delete('/notes/n1')
      .set('Authorization', bearer(tokens.valid(alice)));

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toBe('Your role (editor) lacks the permission notes:delete.');
    expect(timingEntry(response.headers['server-timing'], 'authz')).toMatch(/^authz;desc="failed here";dur=/);
  });

  test('when the role holds "*", every permission is granted', async () => {
    const response = await request(app)
      .delete('/notes/n1')
      .set('Authorization', bearer(tokens.valid({ id: 'root', role: 'admin' })));

    expect(response.status).toBe(204);
    const timing = response.headers['server-timing'] ?? '';
    expect(timing).toMatch(/^authn;dur=[\d.]+, authz;dur=[\d.]+, handler;dur=[\d.]+, total;dur=[\d.]+$/);
  });

  test('when the role is not in the permission map, answers 403', async () => {
    const response = await request(app)
      .delete('/notes/n1')
      .set('Authorization', bearer(tokens.valid({ id: 'x', role: 'intern' })));

    expect(response.status).toBe(403);
  });

  test.each(['constructor', 'toString', '__proto__'])(
    'when the role is named like an Object member (%s), answers 403, not 500',
    async (role) => {
      const response = await request(app)
        .delete('/notes/n1')
        .set('Authorization', bearer(tokens.valid({ id: 'x', role })));

      expect(response.status).toBe(403);
    },
  );

  test('without authenticate() before it, answers 401', async () => {
    const response = await request(app).get('/unauthenticated-authorize');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});

describe('ownership: ownedBy() in the query filter', () => {
  test('the owner reads their own note', async () => {
    const response = await request(app)
      .get('/notes/n1')
      .set('Authorization', bearer(tokens.valid(alice)));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'n1', owner: 'user-alice', text: "alice's note" });
  });

  test("someone else's note answers 404, exactly like a note that does not exist", async () => {
    const others = await request(app)
      .get('/notes/n2')
      .set('Authorization', bearer(tokens.valid(alice)));
    const missing = await request(app)
      .get('/notes/n404')
      .set('Authorization', bearer(tokens.valid(alice)));

    expect(others.status).toBe(404);
    expect(missing.status).toBe(404);
    const { instance: _i1, requestId: _r1, ...otherProblem } = others.body;
    const { instance: _i2, requestId: _r2, ...missingProblem } = missing.body;
    expect(otherProblem).toEqual(missingProblem);
    expect(JSON.stringify(others.body)).not.toContain('user-bob');
  });

  test('ownedBy() is the filter that limits a query to the caller: { owner: id }, or another field', () => {
    expect(ownedBy(alice)).toEqual({ owner: 'user-alice' });
    expect(ownedBy(alice, 'author')).toEqual({ author: 'user-alice' });
  });
});

describe('createAccess(): dependencies explicit, misconfiguration caught at start-up', () => {
  const service = createTokenService({ ...keys, ttlSeconds: 60 });

  test('authorize() of a permission no role holds throws when the route is declared, naming it and the roles', () => {
    const typo = createAccess({ tokens: service, permissions: { user: ['notes:read'] } as Record<string, readonly string[]> });

    expect(() => typo.authorize('notes:raed')).toThrow("authorize('notes:raed'): no role in the permission table holds it (roles: user).");
  });

  test('an empty permission table is refused: every authorize() would answer 403', () => {
    expect(() => createAccess({ tokens: service, permissions: {} })).toThrow(/no roles/);
  });

  test('can() is the check authorize() makes: listed, granted by *, and never through Object.prototype', () => {
    expect(access.can(alice, 'notes:read')).toBe(true);
    expect(access.can(alice, 'notes:delete')).toBe(false);
    expect(access.can({ id: 'root', role: 'admin' }, 'notes:delete')).toBe(true);
    expect(grants(permissions, 'constructor', 'notes:read')).toBe(false);
    expect(grants(permissions, 'unknown', 'notes:read')).toBe(false);
  });
});
