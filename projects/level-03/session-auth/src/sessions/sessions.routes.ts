import {
  AccountView,
  ApiRouter,
  checkCredentials,
  LoginBody,
  principalOf,
  registerUser,
  SignupBody,
  toAccountView,
  validate,
  type accountThrottle,
  type ValidRequest,
} from '@hub/core';
import type { Request, Response } from 'express';
import type { CookieSessions } from './cookie-sessions.ts';
import type { Csrf } from './csrf.ts';
import { signInFirst } from './session.ts';
import { CsrfToken, SessionHandle, SessionList, SignedIn } from './sessions.schemas.ts';
import type { SessionService } from './sessions.service.ts';

export interface AuthRouteOptions {
  /** bcrypt cost for new passwords and for checking them. */
  cost: number;
  sessions: CookieSessions;
  csrf: Csrf;
  service: SessionService;
  throttle: ReturnType<typeof accountThrottle>;
}

const signup = { body: SignupBody };
const login = { body: LoginBody };
const byHandle = { params: SessionHandle };

const CSRF = 'Needs the X-CSRF-Token header.';

/** /auth: every route that changes something checks the CSRF token; every route about "me" needs a signed-in session. */
export function sessionsRoutes({ cost, sessions, csrf, service, throttle }: AuthRouteOptions): ApiRouter {
  const requireCsrfToken = csrf.requireToken;
  return new ApiRouter('auth')
    .get(
      '/csrf',
      {
        summary: 'A CSRF token for this browser: the session’s once signed in; before that a signed cookie holds it, and nothing is stored',
        responses: { 200: CsrfToken },
      },
      issueCsrfToken,
    )
    .post(
      '/signup',
      { summary: 'Create an account (role is always user) and sign in', description: CSRF, responses: { 201: SignedIn } },
      ...throttle.signup,
      validate(signup),
      requireCsrfToken(),
      signUp,
    )
    .post(
      '/login',
      {
        summary: 'Sign in: a new session id and a new CSRF token; the same 401 for an unknown email and a wrong password',
        description: CSRF,
        responses: { 200: SignedIn },
      },
      ...throttle.loginPerIp,
      validate(login),
      requireCsrfToken(),
      ...throttle.loginPerAccount,
      logIn,
    )
    .post(
      '/logout',
      { summary: 'Sign out: the session is deleted and the cookie cleared', description: CSRF, responses: { 204: 'Signed out' } },
      sessions.authenticate(),
      requireCsrfToken(),
      logOut,
    )
    .get('/me', { summary: 'The signed-in account', responses: { 200: AccountView } }, sessions.authenticate(), me)
    .get(
      '/sessions',
      { summary: 'Where I am signed in: one entry per session', responses: { 200: SessionList } },
      sessions.authenticate(),
      listSessions,
    )
    .delete(
      '/sessions/:id',
      { summary: 'Sign one of my sessions out; anyone else’s answers 404', description: CSRF, responses: { 204: 'Revoked' } },
      validate(byHandle),
      sessions.authenticate(),
      requireCsrfToken(),
      revokeSession,
    );

  function issueCsrfToken(req: Request, res: Response) {
    res.json({ csrfToken: csrf.issue(req, res) });
  }

  async function signUp(req: ValidRequest<typeof signup>, res: Response) {
    const user = await registerUser(req.body, cost);
    const csrfToken = await sessions.signIn(req, user);
    csrf.discardPreLogin(req, res);
    res.status(201).json({ user: toAccountView(user), csrfToken });
  }

  async function logIn(req: ValidRequest<typeof login>, res: Response) {
    const user = await checkCredentials(req.body, cost, () => signInFirst('Email or password is incorrect.', 'invalid-credentials'));
    const csrfToken = await sessions.signIn(req, user);
    csrf.discardPreLogin(req, res);
    res.json({ user: toAccountView(user), csrfToken });
  }

  async function logOut(req: Request, res: Response) {
    await sessions.signOut(req, res);
    res.status(204).end();
  }

  async function me(req: Request, res: Response) {
    const account = await service.account(principalOf(req));
    if (!account) {
      await sessions.signOut(req, res);
      throw signInFirst('This account no longer exists.');
    }
    res.json(account);
  }

  async function listSessions(req: Request, res: Response) {
    res.json({ items: await service.list(principalOf(req), req.sessionID) });
  }

  async function revokeSession(req: ValidRequest<typeof byHandle>, res: Response) {
    const revoked = await service.revoke(principalOf(req), req.params.id);
    // Revoking the session this request came with is signing out: the cookie goes too.
    if (revoked === req.sessionID) await sessions.signOut(req, res);
    res.status(204).end();
  }
}
