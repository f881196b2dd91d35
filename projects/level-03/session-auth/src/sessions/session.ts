import { AppError, sha256 } from '@hub/core';
import type { SessionData } from 'express-session';

// What this service keeps in a session (express-session stores it as JSON in Redis).
declare module 'express-session' {
  interface SessionData {
    /** The synchronizer token every state-changing request must echo in X-CSRF-Token. */
    csrfToken: string;
    userId: string;
    role: string;
    /** Sign-in time and last authenticated request, in epoch ms from the app's clock. */
    createdAt: number;
    lastSeenAt: number;
    /** Shown in the session list so a user can tell their devices apart. */
    userAgent: string;
    ip: string;
  }
}

/** A session after sign-in. Before it nothing is stored: the pre-login CSRF token lives in a signed cookie (csrf.ts). */
export type SignedInSession = Pick<SessionData, 'userId' | 'role' | 'createdAt' | 'lastSeenAt' | 'userAgent' | 'ip'>;

export function isSignedIn(session: Partial<SessionData>): session is Partial<SessionData> & SignedInSession {
  return typeof session.userId === 'string' && typeof session.createdAt === 'number' && typeof session.lastSeenAt === 'number';
}

export interface Timeouts {
  idleSeconds: number;
  absoluteSeconds: number;
}

/** Why a signed-in session is over at `now` — unused too long, or simply too old — or undefined while it is good. */
export function timedOut(
  { createdAt, lastSeenAt }: SignedInSession,
  now: Date,
  { idleSeconds, absoluteSeconds }: Timeouts,
): 'idle' | 'absolute' | undefined {
  if (now.getTime() - createdAt > absoluteSeconds * 1000) return 'absolute';
  if (now.getTime() - lastSeenAt > idleSeconds * 1000) return 'idle';
  return undefined;
}

/**
 * How GET /auth/sessions names a session: the first 32 hex digits of the id's SHA-256. It
 * picks a session to revoke, and is useless as a cookie: the id cannot be recovered from it.
 */
export const handleOf = (sessionId: string): string => sha256(sessionId).slice(0, 32);

/**
 * 401 for a request without a valid signed-in session. The challenge is required on a 401
 * (RFC 9110); no scheme is registered for cookies, so it names the cookie and where to get one.
 */
export const signInFirst = (detail: string, code = 'unauthorized') =>
  new AppError(401, code, detail, { headers: { 'WWW-Authenticate': 'Cookie realm="api", form-action="/auth/login"' } });
