import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppAccess } from '../permissions.ts';
import { PreferencesInput, PreferencesView } from './preferences.schemas.ts';
import { readPreferences, setPreferences } from './preferences.service.ts';

const reading = { query: z.strictObject({}) };
const setting = { body: PreferencesInput };

/** The caller's own channel preferences. */
export function preferencesRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('preferences')
    .get(
      '/',
      { summary: 'My channel preferences', responses: { 200: PreferencesView } },
      validate(reading),
      access.authenticate(),
      access.authorize('inbox:read'),
      read,
    )
    .put(
      '/',
      { summary: 'Replace my channel preferences (checked when each notification is sent)', responses: { 200: PreferencesView } },
      validate(setting),
      access.authenticate(),
      access.authorize('preferences:write'),
      replace,
    );
}

async function read(req: Request, res: Response) {
  res.json(await readPreferences(principalOf(req).id));
}

async function replace(req: ValidRequest<typeof setting>, res: Response) {
  res.json(await setPreferences(principalOf(req).id, req.body));
}
