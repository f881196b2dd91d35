import { AppError, secured, stage, type UserDocument } from '@hub/core';
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { ServiceConfig } from '../config.ts';
import { newCsrfToken } from './csrf.ts';
import { isSignedIn, signInFirst, timedOut, type Timeouts } from './session.ts';
import type { SessionStore } from './session.store.ts';

/** What signing in and out need from a request: typed requests of every route fit. */
type SessionRequest = Pick<Request, 'session' | 'sessionID' | 'ip' | 'get'>;

export interface CookieSessionOptions {
  config: Pick<ServiceConfig, 'NODE_ENV' | 'SESSION_SECRET'>;
  store: SessionStore;
  timeouts: Timeouts;
  /** The clock the timeouts are measured with. */
  now: () => Date;
}

/**
 * The session a request carries: express-session behind a hardened cookie, the `authn` stage
 * that turns a session into `req.principal`, and the two moments that change a session —
 * sign-in (a new id) and sign-out (gone from Redis, cookie cleared).
 */
export function createCookieSessions({ config, store, timeouts, now }: CookieSessionOptions) {
  const production = config.NODE_ENV === 'production';
  // __Host-: browsers accept it only with Secure, Path=/ and no Domain, so no subdomain can plant or overwrite it.
  const cookieName = production ? '__Host-sid' : 'sid';
  // HttpOnly: page scripts (and so XSS) cannot read it. Lax: not sent on cross-site POSTs. Secure: https only.
  const cookie = { httpOnly: true, sameSite: 'lax', path: '/', secure: production } as const;

  const loadSession = session({
    name: cookieName,
    secret: config.SESSION_SECRET,
    store: store.store,
    // The cookie, and the copy in Redis, live as long as the idle timeout, renewed by every response (rolling).
    cookie: { ...cookie, maxAge: timeouts.idleSeconds * 1000 },
    rolling: true,
    resave: false,
    // No cookie and nothing in Redis until sign-in: a visitor costs no memory (the pre-login CSRF token is a signed cookie).
    saveUninitialized: false,
  });

  /** express-session for every request. Responses that can carry a session cookie are never cached. */
  const middleware: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    loadSession(req, res, (error?: unknown) => {
      next(
        error
          ? new AppError(503, 'sessions-unavailable', 'Sessions cannot be read right now; try again shortly.', { cause: error })
          : undefined,
      );
    });
  };

  /**
   * Authentication: a signed-in session that has not timed out and is still listed under its
   * user becomes `req.principal`. Anything else is a 401, and a timed-out or revoked session
   * is removed from Redis on the spot. Each success records the visit (lastSeenAt).
   */
  // What Swagger UI and the OpenAPI document show a protected route needs: this cookie.
  const cookieScheme = {
    name: 'sessionCookie',
    scheme: { type: 'apiKey', in: 'cookie', name: cookieName, description: 'The session cookie set by POST /auth/login.' },
  } as const;

  function authenticate(): RequestHandler {
    return secured(
      stage('authn', async (req, res) => {
        const current = req.session;
        if (!isSignedIn(current)) throw signInFirst('Sign in first: this request carries no signed-in session.');
        const at = now();
        const expiry = timedOut(current, at, timeouts);
        if (expiry) {
          await signOut(req, res);
          throw signInFirst(
            expiry === 'idle'
              ? 'The session expired after a period without activity; sign in again.'
              : 'The session reached its maximum lifetime; sign in again.',
            'session-expired',
          );
        }
        // The user's set decides, not the session's existence: a request in flight during a revoke
        // saves its copy of the session when it ends, and that copy must not sign anyone in.
        if (!(await store.isTracked(current.userId, req.sessionID))) {
          await signOut(req, res);
          throw signInFirst('This session was signed out; sign in again.', 'session-revoked');
        }
        current.lastSeenAt = at.getTime();
        // Saved now rather than when the response ends: the handler (GET /auth/sessions) sees this
        // visit, and a revoke that lands while the handler runs is not undone by a late save.
        await saved(req);
        req.principal = { id: current.userId, role: current.role };
      }),
      cookieScheme,
    );
  }

  /**
   * Signs `user` in on this request's session and returns its new CSRF token. The session gets a
   * new id and the old one is deleted from Redis, so an id an attacker planted before login
   * (session fixation) never becomes a signed-in session.
   */
  async function signIn(req: SessionRequest, user: UserDocument): Promise<string> {
    const previous = isSignedIn(req.session) ? { userId: req.session.userId, id: req.sessionID } : undefined;
    await regenerated(req);
    if (previous) await store.revoke(previous.userId, previous.id);
    const at = now().getTime();
    const csrfToken = newCsrfToken();
    Object.assign(req.session, {
      userId: user.id as string,
      role: user.role,
      createdAt: at,
      lastSeenAt: at,
      userAgent: (req.get('user-agent') ?? '').slice(0, 200),
      ip: req.ip ?? '',
      csrfToken,
    });
    await saved(req);
    await store.track(user.id as string, req.sessionID);
    return csrfToken;
  }

  /** Ends this request's session: unlisted and deleted in Redis, and the browser told to drop the cookie. */
  async function signOut(req: SessionRequest, res: Response): Promise<void> {
    if (isSignedIn(req.session)) await store.revoke(req.session.userId, req.sessionID);
    await destroyed(req);
    res.clearCookie(cookieName, cookie);
  }

  return { middleware, authenticate, signIn, signOut };
}
export type CookieSessions = ReturnType<typeof createCookieSessions>;

// express-session's session methods take callbacks.
const settle = (done: () => void, fail: (error: unknown) => void) => (error: unknown) => (error ? fail(error) : done());
const regenerated = (req: SessionRequest) => new Promise<void>((done, fail) => req.session.regenerate(settle(done, fail)));
const saved = (req: SessionRequest) => new Promise<void>((done, fail) => req.session.save(settle(done, fail)));
const destroyed = (req: SessionRequest) => new Promise<void>((done, fail) => req.session.destroy(settle(done, fail)));
