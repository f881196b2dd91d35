import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { AppError, forbidden } from './errors.ts';
import { secured, type SecurityScheme } from './router.ts';
import { stage } from './timing.ts';

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

/**
 * Issues and checks short-lived JWT access tokens. verify() accepts a token only for this
 * issuer and audience, and only while it is younger than `ttlSeconds`: a token that claims a
 * longer life (signed elsewhere with the same secret, or by an older config) is refused.
 */
export function createTokenService({ secret, issuer, audience, ttlSeconds }: TokenOptions) {
  return {
    sign(principal: Principal): string {
      return jwt.sign({ role: principal.role }, secret, {
        algorithm: ALGORITHM,
        subject: principal.id,
        issuer,
        audience,
        expiresIn: ttlSeconds,
      });
    },

    verify(token: string): Principal {
      let claims: jwt.JwtPayload | string;
      try {
        // maxAge counts from iat, whatever exp says, and refuses a token without iat.
        claims = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer, audience, maxAge: ttlSeconds });
      } catch (error) {
        const expired = error instanceof jwt.TokenExpiredError;
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
      return { id: claims.sub, role: claims.role };
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

/** The OpenAPI security scheme of a Bearer JWT, as authenticate() requires it. */
export const BEARER_JWT: SecurityScheme = { name: 'bearerAuth', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };

/**
 * Authentication: reads `Authorization: Bearer <jwt>`, verifies it with `tokens`, and puts the
 * principal on `req.principal`. 401 with WWW-Authenticate when the token is missing, malformed,
 * expired, signed with another key or algorithm, or issued for another issuer or audience.
 */
export function authenticate(tokens: TokenService): RequestHandler {
  const middleware = stage('authn', (req) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token, extra] = header.split(' ');
    if (!header) throw unauthorized('Sign in first: send Authorization: Bearer <token>.');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
      throw unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_token');
    }
    req.principal = tokens.verify(token);
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
        if (!grants(permissions, principal.role, permission))
          throw forbidden(`Your role (${principal.role}) lacks the permission ${permission}.`);
      });
    },
    can: (principal, permission) => grants(permissions, principal.role, permission),
  };
}

/** The authenticated principal; throws 401 when authenticate() did not run or failed. */
export function principalOf(req: { principal?: Principal | undefined }): Principal {
  if (!req.principal) throw unauthorized('Sign in first: send Authorization: Bearer <token>.');
  return req.principal;
}

/** A filter that limits a query to the caller's own documents: `{ owner: <principal id> }`. */
export function ownedBy(principal: Principal, field = 'owner'): Record<string, string> {
  return { [field]: principal.id };
}
