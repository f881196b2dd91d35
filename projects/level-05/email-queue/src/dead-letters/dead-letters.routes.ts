import { ApiRouter, pageQuery, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { z } from 'zod';
import { EmailId, EmailPage, EmailView } from '../emails/emails.schemas.ts';
import type { EmailQueue } from '../emails/emails.service.ts';
import type { AppAccess } from '../permissions.ts';
import { listDeadLetters, purgeDeadLetters, requeueDeadLetter } from './dead-letters.service.ts';

const listing = { query: pageQuery({}) };
const byId = { params: EmailId };
const Purged = z.object({ purged: z.int().describe('dead emails deleted') }).meta({ id: 'Purged' });

/** The /dead-letters routes: the emails no attempt could send; their owner's, or everyone's for an admin. */
export function deadLettersRoutes({ access, queue }: { access: AppAccess; queue: EmailQueue }): ApiRouter {
  return new ApiRouter('dead-letters')
    .get(
      '/',
      { summary: 'My dead-lettered emails, newest first', responses: { 200: EmailPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('dead-letters:manage'),
      async (req: ValidRequest<typeof listing>, res: Response) => {
        res.json(await listDeadLetters(principalOf(req), req.query));
      },
    )
    .post(
      '/:id/requeue',
      { summary: 'Queue a dead email again (attempts start over)', responses: { 202: EmailView } },
      validate(byId),
      access.authenticate(),
      access.authorize('dead-letters:manage'),
      async (req: ValidRequest<typeof byId>, res: Response) => {
        res.status(202).json(await requeueDeadLetter(queue, principalOf(req), req.params.id));
      },
    )
    .delete(
      '/',
      { summary: 'Delete my dead emails', responses: { 200: Purged } },
      access.authenticate(),
      access.authorize('dead-letters:manage'),
      async (req, res: Response) => {
        res.json(await purgeDeadLetters(queue, principalOf(req)));
      },
    );
}
