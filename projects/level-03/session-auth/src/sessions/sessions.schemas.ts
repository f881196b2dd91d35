import { AccountView } from '@hub/core';
import { z } from 'zod';

const csrfToken = z.string().describe('send it back in the X-CSRF-Token header on every POST, PUT, PATCH and DELETE');

/** GET /auth/csrf. */
export const CsrfToken = z.object({ csrfToken }).meta({ id: 'CsrfToken' });

/** Signup and login: the account, and the new session's CSRF token (the pre-login one no longer works). */
export const SignedIn = z.object({ user: AccountView, csrfToken }).meta({ id: 'SignedIn' });

export const SessionView = z
  .object({
    id: z.string().describe('a handle for DELETE /auth/sessions/:id; not the session id, which never leaves the cookie'),
    createdAt: z.iso.datetime().describe('when this session signed in'),
    lastSeenAt: z.iso.datetime().describe('its last authenticated request'),
    userAgent: z.string(),
    ip: z.string(),
    current: z.boolean().describe('true for the session making this request'),
  })
  .meta({ id: 'SessionView' });
export type SessionView = z.infer<typeof SessionView>;

export const SessionList = z.object({ items: z.array(SessionView).describe('newest first') }).meta({ id: 'SessionList' });

/** DELETE /auth/sessions/:id: a handle as GET /auth/sessions shows it. */
export const SessionHandle = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'must be a 32-character session id from GET /auth/sessions')
    .meta({ example: '3f2a9c0e5b7d41e8a6c2f09b1d3e5a7c' }),
});
