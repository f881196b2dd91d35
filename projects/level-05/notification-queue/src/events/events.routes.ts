import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { Enqueue } from '../jobs.ts';
import type { AppAccess } from '../permissions.ts';
import { EventAccepted, EventInput } from './events.schemas.ts';
import { publishEvent } from './events.service.ts';

const publishing = { body: EventInput };

/** POST /events: the producers' door. 202: accepted and queued, delivered by the worker. */
export function eventsRoutes({ access, enqueue, now }: { access: AppAccess; enqueue: Enqueue; now: () => Date }): ApiRouter {
  return new ApiRouter('events').post(
    '/',
    { summary: 'Publish a domain event: it fans out to each recipient on each channel', responses: { 202: EventAccepted } },
    validate(publishing),
    access.authenticate(),
    access.authorize('events:publish'),
    publish,
  );

  async function publish(req: ValidRequest<typeof publishing>, res: Response) {
    res.status(202).json(await publishEvent(req.body, { enqueue, now }));
  }
}
