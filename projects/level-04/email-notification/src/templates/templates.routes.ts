import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { z } from 'zod';
import type { AppAccess } from '../permissions.ts';
import { Preview, PreviewBody, TemplateList, TemplateParams, TemplateView } from './templates.schemas.ts';
import { listTemplates, previewTemplate, readTemplate } from './templates.service.ts';

const listing = { query: z.strictObject({}) };
const byName = { params: TemplateParams };
const previewing = { params: TemplateParams, body: PreviewBody };

/** Mounted at /templates: what can be sent, with which variables, and how it will look. */
export function templatesRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('templates')
    .get(
      '/',
      { summary: 'The templates, each with its variables as JSON Schema', responses: { 200: TemplateList } },
      validate(listing),
      access.authenticate(),
      access.authorize('templates:read'),
      list,
    )
    .get(
      '/:name',
      { summary: 'One template and its variables', responses: { 200: TemplateView } },
      validate(byName),
      access.authenticate(),
      access.authorize('templates:read'),
      read,
    )
    .post(
      '/:name/preview',
      { summary: 'Render a template without sending it: 422 naming each variable that does not fit', responses: { 200: Preview } },
      validate(previewing),
      access.authenticate(),
      access.authorize('templates:read'),
      preview,
    );
}

function list(_req: unknown, res: Response) {
  res.json({ templates: listTemplates() });
}

function read(req: ValidRequest<typeof byName>, res: Response) {
  res.json(readTemplate(req.params.name));
}

function preview(req: ValidRequest<typeof previewing>, res: Response) {
  res.json(previewTemplate(req.params.name, req.body));
}
