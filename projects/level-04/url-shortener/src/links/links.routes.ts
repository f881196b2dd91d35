import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import QRCode from 'qrcode';
import { statsOf } from '../clicks/clicks.service.ts';
import type { AppAccess } from '../permissions.ts';
import { LinkId, LinkInput, LinkListQuery, LinkPage, LinkPatch, LinkStats, LinkView } from './links.schemas.ts';
import type { LinkService } from './links.service.ts';

const creating = { body: LinkInput };
const listing = { query: LinkListQuery };
const byId = { params: LinkId };
const patching = { params: LinkId, body: LinkPatch };

/** The /links routes: one account's links, managed by their owner only (404 for anyone else). */
export function linksRoutes({ access, links }: { access: AppAccess; links: LinkService }): ApiRouter {
  async function create(req: ValidRequest<typeof creating>, res: Response) {
    const link = await links.createLink(principalOf(req), req.body);
    res.status(201).location(`${req.baseUrl}/${link.id}`).json(link);
  }
  async function list(req: ValidRequest<typeof listing>, res: Response) {
    res.json(await links.listLinks(principalOf(req), req.query));
  }
  async function read(req: ValidRequest<typeof byId>, res: Response) {
    res.json(await links.readLink(principalOf(req), req.params.id));
  }
  async function update(req: ValidRequest<typeof patching>, res: Response) {
    res.json(await links.updateLink(principalOf(req), req.params.id, req.body));
  }
  async function remove(req: ValidRequest<typeof byId>, res: Response) {
    await links.deleteLink(principalOf(req), req.params.id);
    res.status(204).end();
  }
  async function stats(req: ValidRequest<typeof byId>, res: Response) {
    const link = await links.readLink(principalOf(req), req.params.id);
    res.json(await statsOf(link.id));
  }
  async function qr(req: ValidRequest<typeof byId>, res: Response) {
    const link = await links.readLink(principalOf(req), req.params.id);
    res.type('image/svg+xml').send(await QRCode.toString(link.shortUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  }

  return new ApiRouter('links')
    .post(
      '/',
      { summary: 'Shorten a URL (optional alias, expiry, visit limit)', responses: { 201: LinkView } },
      validate(creating),
      access.authenticate(),
      access.authorize('links:write'),
      create,
    )
    .get(
      '/',
      { summary: 'My links, newest first; by page or cursor', responses: { 200: LinkPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('links:read'),
      list,
    )
    .get(
      '/:id',
      { summary: 'Read one of my links', responses: { 200: LinkView } },
      validate(byId),
      access.authenticate(),
      access.authorize('links:read'),
      read,
    )
    .patch(
      '/:id',
      { summary: 'Change where a link goes, its expiry or its visit limit', responses: { 200: LinkView } },
      validate(patching),
      access.authenticate(),
      access.authorize('links:write'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete a link and its clicks', responses: { 204: 'Deleted' } },
      validate(byId),
      access.authenticate(),
      access.authorize('links:write'),
      remove,
    )
    .get(
      '/:id/stats',
      { summary: "A link's clicks by day, referrer and device; bots apart", responses: { 200: LinkStats } },
      validate(byId),
      access.authenticate(),
      access.authorize('links:read'),
      stats,
    )
    .get(
      '/:id/qr',
      { summary: "The short URL's QR code, as SVG", responses: { 200: 'An SVG image (image/svg+xml)' } },
      validate(byId),
      access.authenticate(),
      access.authorize('links:read'),
      qr,
    );
}
