import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Storage } from '@hub/core/storage';
import type { Response } from 'express';
import { sendFile } from '../files/download.ts';
import type { AppAccess } from '../permissions.ts';
import { ShareDownloadHeaders, ShareInput, ShareToken, ShareView } from './shares.schemas.ts';
import { createShare, openShare, type ShareDeps } from './shares.service.ts';

const creating = { body: ShareInput };
const downloading = { params: ShareToken, headers: ShareDownloadHeaders };

/** /shares: links to a file that work without an account. */
export function sharesRoutes({ access, storage, ...deps }: ShareDeps & { access: AppAccess; storage: Storage }): ApiRouter {
  async function create(req: ValidRequest<typeof creating>, res: Response) {
    const share = await createShare(principalOf(req), req.body, deps);
    res.status(201).location(share.url).json(share);
  }

  async function download(req: ValidRequest<typeof downloading>, res: Response) {
    await sendFile(req, res, await openShare(req.params.token, req.headers['x-share-password'], deps), storage);
  }

  return new ApiRouter('shares')
    .post(
      '/',
      { summary: 'Make a share link to one of my files', responses: { 201: ShareView } },
      validate(creating),
      access.authenticate(),
      access.authorize('files:share'),
      create,
    )
    .get(
      '/:token',
      {
        summary: 'Download a shared file, without an account (X-Share-Password when it has one)',
        responses: { 200: 'the file', 206: 'the range asked for' },
      },
      validate(downloading),
      download,
    );
}
