import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { CodeParams } from '../links/links.schemas.ts';
import type { RedirectService } from './redirects.service.ts';

const byCode = { params: CodeParams };

/** GET /:code, public: 302 to the link's URL; 404 for an unknown code, 410 expired or used up. */
export function redirectsRoutes({ redirects }: { redirects: RedirectService }): ApiRouter {
  async function follow(req: ValidRequest<typeof byCode>, res: Response) {
    const url = await redirects.visit({
      code: req.params.code,
      head: req.method === 'HEAD',
      userAgent: req.get('user-agent'),
      referer: req.get('referer'),
    });
    // no-store: every visit comes back here, so it is counted and an edit is seen at once. No
    // body: res.redirect() would negotiate and render one that no browser shows.
    res.status(302).location(url).set('Cache-Control', 'no-store').end();
  }

  return new ApiRouter('redirects').get(
    '/:code',
    { summary: 'Follow a short link (302); HEAD shows where without using a visit', responses: { 302: 'Found: Location is the URL' } },
    validate(byCode),
    follow,
  );
}
