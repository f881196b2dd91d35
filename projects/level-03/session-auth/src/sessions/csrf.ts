import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, secured, stage } from '@hub/core';
import type { Request, RequestHandler, Response } from 'express';
import type { SessionData } from 'express-session';
import type { ServiceConfig } from '../config.ts';
import { isSignedIn } from './session.ts';

export const CSRF_HEADER = 'X-CSRF-Token';

/** 32 random bytes: unguessable. A session's token, and the nonce of a pre-login one. */
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

export interface CsrfOptions {
  config: Pick<ServiceConfig, 'NODE_ENV' | 'SESSION_SECRET'>;
  /** How long a browser keeps the pre-login cookie (the idle timeout: what a pre-session used to live). */
  maxAgeSeconds: number;
}

const refused = (code: string, detail: string) => new AppError(403, code, detail);

/**
 * CSRF tokens, of two kinds, checked as the `csrf` stage on every state-changing route.
 *
 * Signed in: the synchronizer token stored in the session at sign-in. Another site can make the
 * browser send our cookie with a forged request, but it cannot read the token, so it cannot
 * put it in the header.
 *
 * Before sign-in (signup, login): a signed double-submit cookie, so that nothing is stored for a
 * visitor. GET /auth/csrf sets a cookie holding `<nonce>.<HMAC of the nonce>` and returns the
 * same value; the header must equal the cookie, and the HMAC must be ours. Another site cannot
 * read the cookie to copy it into the header, and cannot make up a pair the HMAC accepts.
 */
export function createCsrf({ config, maxAgeSeconds }: CsrfOptions) {
  const production = config.NODE_ENV === 'production';
  // __Host-: only with Secure, Path=/ and no Domain, so a sibling subdomain cannot plant a pair of its own choosing.
  const cookieName = production ? '__Host-csrf' : 'csrf';
  // HttpOnly: the page reads the token from the response body, never from the cookie. Strict: no request from another site carries it.
  const cookie = { httpOnly: true, sameSite: 'strict', path: '/', secure: production } as const;
  // A key of its own, derived from SESSION_SECRET: express-session signs session ids with the secret itself,
  // so without this a session cookie's `<id>.<signature>` could pass for a pre-login token.
  const key = createHmac('sha256', config.SESSION_SECRET).update('session-auth: pre-login CSRF cookie').digest();
  const macOf = (nonce: string) => createHmac('sha256', key).update(nonce).digest('base64url');
  const signedToken = () => {
    const nonce = newCsrfToken();
    return `${nonce}.${macOf(nonce)}`;
  };
  const isOurs = (token: string) => {
    const [nonce, mac, ...rest] = token.split('.');
    return nonce !== undefined && mac !== undefined && rest.length === 0 && sameToken(mac, macOf(nonce));
  };

  /** GET /auth/csrf: the token this browser must send. Before sign-in it only sets a cookie; nothing is stored. */
  function issue(req: Pick<Request, 'session' | 'get' | 'secure'>, res: Response): string {
    const ofSession = sessionTokenOf(req.session);
    if (ofSession) return ofSession;
    // A browser that already holds a good pair keeps it, so a second tab does not invalidate the first one's token.
    const held = cookieValue(req, cookieName);
    const token = held && isOurs(held) ? held : signedToken();
    // As express-session does for its cookie: a Secure cookie is not sent over plain http, where a browser would drop it.
    if (!production || req.secure) res.cookie(cookieName, token, { ...cookie, maxAge: maxAgeSeconds * 1000 });
    return token;
  }

  /** After sign-in the session's token applies: the pre-login cookie has done its job. */
  function discardPreLogin(req: Pick<Request, 'secure'>, res: Response): void {
    if (!production || req.secure) res.clearCookie(cookieName, cookie);
  }

  const csrfScheme = {
    name: 'csrfToken',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: CSRF_HEADER,
      description: `Required on every state-changing request. Before sign-in: the token from GET /auth/csrf, checked against the ${cookieName} cookie that response set (the browser sends it by itself). Signed in: the token signing in returned.`,
    },
  } as const;

  /** The check for a state-changing route. Browsers that mark a request as cross-site (Sec-Fetch-Site) are refused first. */
  function requireToken(): RequestHandler {
    const check = stage('csrf', (req) => {
      if (req.get('sec-fetch-site') === 'cross-site')
        throw refused('cross-site-request', 'Requests from another site may not change anything here.');
      const sent = req.get(CSRF_HEADER);
      if (!sent)
        throw refused('csrf-token-missing', `Send the ${CSRF_HEADER} header with the token from GET /auth/csrf or from signing in.`);
      const ofSession = sessionTokenOf(req.session);
      if (ofSession) {
        if (!sameToken(sent, ofSession))
          throw refused('csrf-token-invalid', `The ${CSRF_HEADER} header does not match this session's token.`);
        return;
      }
      const held = cookieValue(req, cookieName);
      if (!held || !sameToken(sent, held) || !isOurs(held))
        throw refused(
          'csrf-token-invalid',
          `The ${CSRF_HEADER} header does not match the ${cookieName} cookie, or that cookie is missing or not ours; get both from GET /auth/csrf.`,
        );
    });
    return secured(check, csrfScheme);
  }

  return { issue, discardPreLogin, requireToken };
}
export type Csrf = ReturnType<typeof createCsrf>;

/** A signed-in session's synchronizer token; undefined before sign-in, when the signed cookie applies instead. */
const sessionTokenOf = (session: Partial<SessionData>): string | undefined => (isSignedIn(session) ? session.csrfToken : undefined);

/** A cookie's raw value from the Cookie header: no cookie parser runs here, and our values need no decoding. */
function cookieValue(req: Pick<Request, 'get'>, name: string): string | undefined {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

// timingSafeEqual needs equal lengths; the length is no secret (every token of a kind has the same).
function sameToken(sent: string, expected: string): boolean {
  const [a, b] = [Buffer.from(sent), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
