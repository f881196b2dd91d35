import { ApiRouter, principalOf, rateLimit, validate, type LimitOptions, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import type { Deliveries } from './deliveries.service.ts';
import { DeliveryId, DeliveryInput, DeliveryListQuery, DeliveryPage, DeliveryView } from './deliveries.schemas.ts';

const sending = { body: DeliveryInput };
const listing = { query: DeliveryListQuery };
const byId = { params: DeliveryId };

/** SEND_MAX_PER_ACCOUNT sends per SEND_WINDOW_SECONDS, counted per account (after authenticate), in Redis. */
export const sendLimit = ({ redis, limit, windowSeconds }: Pick<LimitOptions, 'redis' | 'limit' | 'windowSeconds'>) =>
  rateLimit({
    name: 'sends',
    limit,
    windowSeconds,
    redis,
    by: (req) => principalOf(req).id,
    detail: 'This account has sent too many mails in this window; try again later.',
  });

/** Mounted at /deliveries: send a templated mail, and read the log of what was sent. */
export function deliveriesRoutes({
  access,
  deliveries,
  limit,
}: {
  access: AppAccess;
  deliveries: Deliveries;
  limit: ReturnType<typeof sendLimit>;
}): ApiRouter {
  return new ApiRouter('deliveries')
    .post(
      '/',
      {
        summary: 'Send a templated mail: 201 sent, 422 variables or suppressed, 429 over the limit, 502 when the SMTP server fails',
        responses: { 201: DeliveryView },
      },
      validate(sending),
      access.authenticate(),
      access.authorize('mail:send'),
      limit,
      send,
    )
    .get(
      '/',
      { summary: 'My deliveries, newest first, optionally by status; by page or cursor', responses: { 200: DeliveryPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('deliveries:read'),
      list,
    )
    .get(
      '/:id',
      { summary: 'One of my deliveries', responses: { 200: DeliveryView } },
      validate(byId),
      access.authenticate(),
      access.authorize('deliveries:read'),
      read,
    );

  async function send(req: ValidRequest<typeof sending>, res: Response) {
    const delivery = await deliveries.send(principalOf(req), req.body);
    res.status(201).location(`${req.baseUrl}/${delivery.id}`).json(delivery);
  }

  async function list(req: ValidRequest<typeof listing>, res: Response) {
    res.json(await deliveries.list(principalOf(req), req.query));
  }

  async function read(req: ValidRequest<typeof byId>, res: Response) {
    res.json(await deliveries.read(principalOf(req), req.params.id));
  }
}
