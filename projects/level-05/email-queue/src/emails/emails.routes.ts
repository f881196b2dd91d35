import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { RequestHandler, Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { EmailId, EmailInput, EmailView, IdempotencyHeaders } from './emails.schemas.ts';
import { enqueueEmail, readEmail, type EmailQueue } from './emails.service.ts';

const submitting = { headers: IdempotencyHeaders, body: EmailInput };
const byId = { params: EmailId };

/**
 * The /emails routes. POST answers 202 once the job is queued (the worker sends it later);
 * `idempotent` makes a retried submit with the same Idempotency-Key that same job.
 */
export function emailsRoutes({
  access,
  queue,
  idempotent,
}: {
  access: AppAccess;
  queue: EmailQueue;
  idempotent: RequestHandler;
}): ApiRouter {
  return new ApiRouter('emails')
    .post(
      '/',
      { summary: 'Queue an email (Idempotency-Key required)', responses: { 202: EmailView } },
      validate(submitting),
      access.authenticate(),
      access.authorize('emails:send'),
      idempotent,
      async (req: ValidRequest<typeof submitting>, res: Response) => {
        const email = await enqueueEmail(queue, principalOf(req), req.body);
        res.status(202).location(`${req.baseUrl}/${email.id}`).json(email);
      },
    )
    .get(
      '/:id',
      { summary: 'One of my emails: queued, sent or dead', responses: { 200: EmailView } },
      validate(byId),
      access.authenticate(),
      access.authorize('emails:read'),
      read,
    );
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readEmail(principalOf(req), req.params.id));
}
