import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type jwt from 'jsonwebtoken';
import { AppError, DEPENDENCY_RETRY_AFTER_SECONDS, forbidden } from './errors.ts';
import { inspectAuthorization } from './inspector.ts';
import { lazy } from './lazy.ts';
import { secured, type SecurityScheme } from './router.ts';
import { stage } from './timing.ts';

const loadJwt = lazy<typeof jwt>('jsonwebtoken');

/** Who is calling, as established by authenticate(). */
export interface Principal {
  id: string;
  role: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export interface TokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  /** Access-token lifetime in seconds: what sign() gives and the most verify() accepts. */
  ttlSeconds: number;
  /** A deny-list of recalled tokens, asked by authenticate(); without one a token works until it expires. */
  revoked?: RevokedAccessTokens | undefined;
}

/** One access token as a deny-list knows it: its `jti`, and when it expires anyway (its `exp`). */
export interface AccessTokenRef {
  jti: string;
  expiresAt: Date;
}

/**
 * Access tokens recalled before they expire, kept by the service (in Redis, so that every
 * instance sees them). authenticate() asks has() for each token; the accounts' POST /logout calls
 * add() for the Bearer token sent with it. An entry is needed only until `expiresAt`: after that
 * the token is refused anyway.
 */
export interface RevokedAccessTokens {
  add(token: AccessTokenRef): Promise<void>;
  has(jti: string): Promise<boolean>;
}

/** Which permissions each role holds; `*` grants all. */
export type PermissionMap = Record<string, readonly string[]>;

// One algorithm, pinned on both sides: a token naming any other (or "none") is refused.
const ALGORITHM = 'HS256';

/** A 401 with its Bearer challenge; `error="invalid_token"` when a token was sent but is refused. */
export const unauthorized = (detail: string, error?: 'invalid_token', code = 'unauthorized') =>
  new AppError(401, code, detail, {
    headers: { 'WWW-Authenticate': `Bearer realm="api"${error ? `, error="${error}"` : ''}` },
  });

// How far ahead of this server's clock another instance's may be when it issues a token.
const CLOCK_SKEW_SECONDS = 30;

/** The claims of a token verify() accepted: a subject, a role and both times are always there. */
type VerifiedClaims = jwt.JwtPayload & { sub: string; role: string; exp: number; iat: number };

/**
 * Issues and checks short-lived JWT access tokens. verify() accepts a token only for this
 * issuer and audience, and only while it is younger than `ttlSeconds`: a token that claims a
 * longer life (signed elsewhere with the same secret, or by an older config) is refused. Each
 * token carries a random `jti`, so a deny-list (`revoked`) can recall that one token.
 */
export function createTokenService({ secret, issuer, audience, ttlSeconds, revoked }: TokenOptions) {
  function claimsOf(token: string): VerifiedClaims {
    let claims: jwt.JwtPayload | string;
    try {
      // maxAge counts from iat, whatever exp says, and refuses a token without iat.
      claims = loadJwt().verify(token, secret, { algorithms: [ALGORITHM], issuer, audience, maxAge: ttlSeconds });
    } catch (error) {
      const expired = error instanceof loadJwt().TokenExpiredError;
      throw unauthorized(expired ? 'The access token has expired.' : 'The access token is not valid.', 'invalid_token');
    }
    // A token without an expiry would be valid forever, and one issued "in the future" would
    // outlive maxAge: refuse both even when correctly signed, as well as one whose exp is
    // further from its iat than this service's TTL (its signer meant it to live longer).
    if (
      typeof claims === 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.role !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS ||
      claims.exp - claims.iat > ttlSeconds
    ) {
      throw unauthorized('The access token is not valid.', 'invalid_token');
    }
    return claims as VerifiedClaims;
  }

  // Tokens signed before they carried a jti cannot be named on a deny-list; they die at their exp.
  const refOf = ({ jti, exp }: VerifiedClaims): AccessTokenRef | undefined =>
    typeof jti === 'string' ? { jti, expiresAt: new Date(exp * 1000) } : undefined;

  // A deny-list that cannot be reached must not let a recalled token through: 503, like the limits.
  const unavailable = (cause: unknown) =>
    new AppError(503, 'revocations-unavailable', 'Try again shortly: revoked access tokens cannot be checked right now.', {
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
      cause,
    });

  return {
    sign(principal: Principal): string {
      return loadJwt().sign({ role: principal.role }, secret, {
        algorithm: ALGORITHM,
        subject: principal.id,
        issuer,
        audience,
        expiresIn: ttlSeconds,
        jwtid: randomUUID(),
      });
    },

    /** The principal a valid token names, else 401. The deny-list is not asked: check() does that. */
    verify(token: string): Principal {
      const { sub, role } = claimsOf(token);
      return { id: sub, role };
    },

    /** What authenticate() asks: verify(), then the deny-list. A recalled token is a 401 invalid_token. */
    async check(token: string): Promise<Principal> {
      const claims = claimsOf(token);
      const ref = refOf(claims);
      if (revoked && ref) {
        const denied = await revoked.has(ref.jti).catch((error: unknown) => Promise.reject(unavailable(error)));
        if (denied) throw unauthorized('The access token was revoked.', 'invalid_token');
      }
      return { id: claims.sub, role: claims.role };
    },

    /** Recalls a token until its exp, when there is a deny-list. A token that is not valid needs no recall: ignored. */
    async revoke(token: string): Promise<void> {
      if (!revoked) return;
      let ref: AccessTokenRef | undefined;
      try {
        ref = refOf(claimsOf(token));
      } catch {
        return;
      }
      if (ref) await revoked.add(ref).catch((error: unknown) => Promise.reject(unavailable(error)));
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

/** The OpenAPI security scheme of a Bearer JWT, as authenticate() requires it. */
export const BEARER_JWT: SecurityScheme = { name: 'bearerAuth', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };

/**
 * Authentication: reads `Authorization: Bearer <jwt>`, verifies it with `tokens`, and puts the
 * principal on `req.principal`. 401 with WWW-Authenticate when the token is missing, malformed,
 * expired, signed with another key or algorithm, issued for another issuer or audience, or on
 * the token service's deny-list.
 */
export function authenticate(tokens: TokenService): RequestHandler {
  const middleware = stage('authn', async (req) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token, extra] = header.split(' ');
    if (!header) throw unauthorized('Sign in first: send Authorization: Bearer <token>.');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
      throw unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_token');
    }
    req.principal = await tokens.check(token);
  });
  return secured(middleware, BEARER_JWT);
}

/** Does `role` hold `permission` in `permissions`? `*` grants all; an unknown role grants nothing. */
export function grants(permissions: PermissionMap, role: string, permission: string): boolean {
  // Own keys only: a role called "constructor" or "__proto__" has no permissions, not Object's.
  const granted = Object.hasOwn(permissions, role) ? (permissions[role] ?? []) : [];
  return granted.includes(permission) || granted.includes('*');
}

/** Every permission a table names: `'notes:read' | 'notes:write' | '*'` for a table declared `as const`. */
export type PermissionOf<P extends PermissionMap> = P[keyof P][number];

/** What routes need to authenticate and authorize callers, built once per app by createAccess(). */
export interface Access<Permission extends string = string> {
  /** Bearer JWT authentication, verified with this app's tokens (the authn stage). */
  authenticate(): RequestHandler;
  /** 401 without a principal, 403 when the principal's role lacks `permission` (the authz stage). */
  authorize(permission: Permission): RequestHandler;
  /** The same check as a value, for a use case that decides between "own" and "any". */
  can(principal: Principal, permission: Permission): boolean;
}

/**
 * Binds authentication and authorization to their dependencies, explicitly: the token service
 * that verifies access tokens and the role → permissions table. A table declared `as const`
 * types authorize()'s argument, so a misspelt permission does not compile; a permission that no
 * role holds throws when the route is declared, at start-up, instead of answering 403 to
 * everyone at request time.
 */
export function createAccess<const P extends PermissionMap>({
  tokens,
  permissions,
}: {
  tokens: TokenService;
  permissions: P;
}): Access<PermissionOf<P>> {
  const roles = Object.keys(permissions);
  if (roles.length === 0) throw new Error('createAccess(): the permission table has no roles, so every authorize() would answer 403.');
  return {
    authenticate: () => authenticate(tokens),
    authorize(permission) {
      if (!roles.some((role) => grants(permissions, role, permission))) {
        throw new Error(`authorize('${permission}'): no role in the permission table holds it (roles: ${roles.join(', ')}).`);
      }
      return stage('authz', (req) => {
        const principal = principalOf(req);
        const allowed = grants(permissions, principal.role, permission);
        inspectAuthorization({ principal: principal.id, role: principal.role, permission, decision: allowed ? 'allowed' : 'denied' });
        if (!allowed) throw forbidden(`Your role (${principal.role}) lacks the permission ${permission}.`);
      });
    },
    can(principal, permission) {
      const allowed = grants(permissions, principal.role, permission);
      inspectAuthorization({ principal: principal.id, role: principal.role, permission, decision: allowed ? 'allowed' : 'denied' });
      return allowed;
    },
  };
}

/** The authenticated principal; throws 401 when authenticate() did not run or failed. */
export function principalOf(req: { principal?: Principal | undefined }): Principal {
  if (!req.principal) throw unauthorized('Sign in first: send Authorization: Bearer <token>.');
  return req.principal;
}

/** A filter that limits a query to the caller's own documents: `{ owner: <principal id> }`. */
export function ownedBy(principal: Principal, field = 'owner'): Record<string, string> {
  const filter = { [field]: principal.id };
  inspectAuthorization({ principal: principal.id, role: principal.role, decision: 'scoped', filter });
  return filter;
}
