import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { AppError, forbidden, notFound } from './errors.ts';
import { SECURITY } from './router.ts';
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
  /** Access-token lifetime in seconds. */
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

/** Issues and checks short-lived JWT access tokens. */
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
        claims = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer, audience });
      } catch (error) {
        const expired = error instanceof jwt.TokenExpiredError;
        throw unauthorized(expired ? 'The access token has expired.' : 'The access token is not valid.', 'invalid_token');
      }
      // A token without an expiry would be valid forever: refuse it even when correctly signed.
      if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
        throw unauthorized('The access token is not valid.', 'invalid_token');
      }
      return { id: claims.sub, role: claims.role };
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

/**
 * Authentication: reads `Authorization: Bearer <jwt>` and puts the verified principal on
 * `req.principal`. 401 with WWW-Authenticate when the token is missing, malformed, expired,
 * signed with another key or algorithm, or issued for another issuer or audience.
 */
export function authenticate(): RequestHandler {
  const middleware = stage('authn', (req) => {
    const tokens = req.app.locals.tokens as TokenService | undefined;
    if (!tokens) throw new AppError(500, 'auth-not-configured', 'authenticate() needs createApp({ tokens }).', { isTrusted: false });
    const header = req.get('authorization') ?? '';
    const [scheme, token, extra] = header.split(' ');
    if (!header) throw unauthorized('Sign in first: send Authorization: Bearer <token>.');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
      throw unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_token');
    }
    req.principal = tokens.verify(token);
  });
  return Object.assign(middleware, { [SECURITY]: 'bearer' });
}

/**
 * Authorization: may this principal do `permission`? Roles map to permissions through
 * createApp({ permissions }). 401 without a principal, 403 without the permission.
 */
export function authorize(permission: string): RequestHandler {
  return stage('authz', (req) => {
    const principal = principalOf(req);
    const permissions = (req.app.locals.permissions as PermissionMap | undefined) ?? {};
    // Own keys only: a role called "constructor" or "__proto__" has no permissions, not Object's.
    const granted = Object.hasOwn(permissions, principal.role) ? (permissions[principal.role] ?? []) : [];
    if (!granted.includes(permission) && !granted.includes('*')) {
      throw forbidden(`Your role (${principal.role}) lacks the permission ${permission}.`);
    }
  });
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

/**
 * Ownership check for a loaded document. Someone else's document answers 404, exactly like a
 * missing one, so ids of other users' resources never leak.
 */
export function assertOwner<T extends object>(doc: T | null | undefined, principal: Principal, field = 'owner'): T {
  const owner = doc ? (doc as Record<string, unknown>)[field] : undefined;
  // A populated owner is a document: compare its _id.
  const ownerId = owner !== null && typeof owner === 'object' && '_id' in owner ? owner._id : owner;
  if (!doc || ownerId === undefined || ownerId === null || String(ownerId) !== principal.id) throw notFound();
  return doc;
}
