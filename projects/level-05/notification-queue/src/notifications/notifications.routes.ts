import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Request, Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import type { LiveInbox } from './live-inbox.ts';
import {
  DeliveryList,
  InboxQuery,
  MarkedView,
  NoQuery,
  NotificationId,
  NotificationPage,
  NotificationView,
  UnreadCountView,
} from './notifications.schemas.ts';
import { deliveriesOf, listInbox, markAllRead, markRead, unreadCount } from './notifications.service.ts';

const listing = { query: InboxQuery };
const plain = { query: NoQuery };
const byId = { params: NotificationId };

/** The caller's inbox: listing, unread count, marking read, each channel's status, and the live stream. */
export function notificationsRoutes({ access, live }: { access: AppAccess; live: LiveInbox }): ApiRouter {
  return new ApiRouter('notifications')
    .get(
      '/',
      { summary: 'My inbox, newest first; by page or cursor', responses: { 200: NotificationPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('inbox:read'),
      list,
    )
    .get(
      '/unread-count',
      { summary: 'How many of my notifications are unread', responses: { 200: UnreadCountView } },
      validate(plain),
      access.authenticate(),
      access.authorize('inbox:read'),
      count,
    )
    .get(
      '/stream',
      { summary: 'Server-sent events: each new in-app notification of mine, as it is stored', responses: { 200: 'text/event-stream' } },
      validate(plain),
      access.authenticate(),
      access.authorize('inbox:read'),
      stream,
    )
    .post(
      '/read-all',
      { summary: 'Mark all my notifications read', responses: { 200: MarkedView } },
      validate(plain),
      access.authenticate(),
      access.authorize('inbox:write'),
      readAll,
    )
    .post(
      '/:id/read',
      { summary: 'Mark one of my notifications read', responses: { 200: NotificationView } },
      validate(byId),
      access.authenticate(),
      access.authorize('inbox:write'),
      readOne,
    )
    .get(
      '/:id/deliveries',
      { summary: "Each channel's delivery status of one of my notifications", responses: { 200: DeliveryList } },
      validate(byId),
      access.authenticate(),
      access.authorize('inbox:read'),
      deliveries,
    );

  function stream(req: Request, res: Response) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 2000\n: connected\n\n');
    const stop = live.listen(principalOf(req).id, (notification) => {
      res.write(`event: notification\ndata: ${JSON.stringify(notification)}\n\n`);
    });
    // At shutdown the stream ends, and the client's EventSource reconnects to another instance.
    const cancel = live.onStop(() => res.end());
    req.on('close', () => {
      stop();
      cancel();
    });
  }
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listInbox(principalOf(req).id, req.query));
}

async function count(req: Request, res: Response) {
  res.json(await unreadCount(principalOf(req).id));
}

async function readAll(req: Request, res: Response) {
  res.json(await markAllRead(principalOf(req).id));
}

async function readOne(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await markRead(principalOf(req).id, req.params.id));
}

async function deliveries(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await deliveriesOf(principalOf(req).id, req.params.id));
}
