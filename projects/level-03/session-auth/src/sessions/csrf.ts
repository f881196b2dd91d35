import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, secured, stage } from '@hub/core';
import type { RequestHandler } from 'express';
import type { SessionData } from 'express-session';

export const CSRF_HEADER = 'X-CSRF-Token';

/** 32 random bytes: unguessable. It travels in response bodies and request headers, never in a cookie. */
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/** The session's token, made on first use: this is what gives GET /auth/csrf a pre-session to save. */
export function csrfTokenOf(session: Partial<SessionData>): string {
  session.csrfToken ??= newCsrfToken();
  return session.csrfToken;
}

const refused = (code: string, detail: string) => new AppError(403, code, detail);

const csrfScheme = {
  name: 'csrfToken',
  scheme: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description: 'The token from GET /auth/csrf or from signing in; required on every state-changing request.',
  },
} as const;

/**
 * The synchronizer-token check for a state-changing route, timed as its own `csrf` stage.
 * Another site can make the browser send our cookie with a forged request, but it cannot read
 * the token this session was given, so it cannot put it in the header. Browsers that mark a
 * request as cross-site (Sec-Fetch-Site) are refused before the token is looked at.
 */
export function requireCsrfToken(): RequestHandler {
  const check = stage('csrf', (req) => {
    if (req.get('sec-fetch-site') === 'cross-site')
      throw refused('cross-site-request', 'Requests from another site may not change anything here.');
    const sent = req.get(CSRF_HEADER);
    if (!sent) throw refused('csrf-token-missing', `Send the ${CSRF_HEADER} header with the token from GET /auth/csrf or from signing in.`);
    const expected = req.session.csrfToken;
    if (!expected || !sameToken(sent, expected))
      throw refused('csrf-token-invalid', `The ${CSRF_HEADER} header does not match this session's token.`);
  });
  return secured(check, csrfScheme);
}

// timingSafeEqual needs equal lengths; the length is no secret (every token has 43 characters).
function sameToken(sent: string, expected: string): boolean {
  const [a, b] = [Buffer.from(sent), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
