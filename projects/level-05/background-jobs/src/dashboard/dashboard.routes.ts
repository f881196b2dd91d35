import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ApiRouter, unauthorized, type TokenService } from '@hub/core';
import express, { type Request, type Response, type Router } from 'express';
import type { JobsQueue } from '../jobs/jobs.worker.ts';
import type { AppAccess } from '../permissions.ts';

export const DASHBOARD_PATH = '/admin/queues';
/** The admin's dashboard cookie: sent only to /admin, never readable by scripts, never cross-site. */
export const ADMIN_COOKIE = 'bj_admin';

/** The Bearer token of the request, or else the one in the dashboard cookie. */
function tokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) return /^Bearer (\S+)$/i.exec(header)?.[1];
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === ADMIN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * POST /admin/session (Bearer admin token) → an httpOnly, SameSite=Strict cookie holding that
 * token, for the browser to open the dashboard with; DELETE clears it. The token in the cookie is
 * checked on every request, so the cookie works no longer than the token itself.
 */
export function adminSessionRoutes({ access, maxAgeSeconds, secure }: { access: AppAccess; maxAgeSeconds: number; secure: boolean }) {
  const cookie = { httpOnly: true, sameSite: 'strict', secure, path: '/admin' } as const;
  return new ApiRouter('dashboard')
    .post(
      '/session',
      { summary: 'Open the queue dashboard in a browser: sets an admin session cookie', responses: { 204: 'no content' } },
      access.authenticate(),
      access.authorize('queues:dashboard'),
      (req: Request, res: Response) => {
        res
          .cookie(ADMIN_COOKIE, tokenOf(req) ?? '', { ...cookie, maxAge: maxAgeSeconds * 1000 })
          .status(204)
          .end();
      },
    )
    .delete(
      '/session',
      { summary: 'Close the dashboard session: clears the cookie', responses: { 204: 'no content' } },
      (_req, res: Response) => {
        res.clearCookie(ADMIN_COOKIE, cookie).status(204).end();
      },
    );
}

/**
 * Bull Board at /admin/queues, for admins only: a Bearer token or the session cookie, then the
 * `queues:dashboard` permission (401 / 403 problems otherwise). Its pages and static assets come
 * from the same mount, so the security headers' default CSP (scripts from 'self') lets it load.
 */
export function dashboard({ access, tokens, queue }: { access: AppAccess; tokens: TokenService; queue: JobsQueue }): Router {
  const adapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: adapter, options: { uiConfig: { boardTitle: 'background-jobs' } } });
  const router = express.Router();
  router.use(
    DASHBOARD_PATH,
    async (req, _res, next) => {
      const token = tokenOf(req);
      if (!token) throw unauthorized('Sign in as an admin first: POST /admin/session with Authorization: Bearer <token>.');
      req.principal = await tokens.check(token);
      next();
    },
    access.authorize('queues:dashboard'),
    adapter.getRouter() as Router,
  );
  return router;
}
