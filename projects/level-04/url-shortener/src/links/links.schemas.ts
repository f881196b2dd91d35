import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { MAX_URL_LENGTH } from '@hub/core/url-safety';
import { z } from 'zod';
import { ALIAS_PATTERN, isReserved } from './codes.ts';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.
// Whether a URL is safe to redirect to (scheme, host, what it resolves to) needs DNS, so the
// use case checks that and answers 422 naming `url`.

export const LinkId = IdParams;

const Url = z.string().trim().min(1).max(MAX_URL_LENGTH).meta({ example: 'https://example.com/a/long/path?with=query' });
const Alias = z
  .string()
  .regex(ALIAS_PATTERN, '3 to 32 letters, digits, _ or -')
  .refine((alias) => !isReserved(alias), 'is a reserved word')
  .meta({ example: 'spring-sale', description: '3 to 32 letters, digits, _ or -; not a reserved word (api, docs, links…)' });
const ExpiresAt = z.iso.datetime({ offset: true }).meta({ description: 'after this instant the link answers 410' });
const MaxVisits = z.int().min(1).max(1_000_000_000).meta({ description: 'after this many redirects the link answers 410' });

/** POST /links. Server-set fields (owner, _id, createdAt…) are accepted and dropped. */
export const LinkInput = clientBody(
  z.object({
    url: Url,
    alias: Alias.optional(),
    expiresAt: ExpiresAt.optional(),
    maxVisits: MaxVisits.optional(),
  }),
);
export type LinkInput = z.output<typeof LinkInput>;

/** PATCH /links/:id: any non-empty subset; null removes the expiry or the visit limit. */
export const LinkPatch = clientBody(
  z.object({
    url: Url.optional(),
    expiresAt: ExpiresAt.nullable().optional(),
    maxVisits: MaxVisits.nullable().optional(),
  }),
).refine((patch) => Object.values(patch).some((value) => value !== undefined), {
  message: 'send at least one of url, expiresAt, maxVisits',
  path: ['url'],
});
export type LinkPatch = z.output<typeof LinkPatch>;

export const LinkListQuery = pageQuery({});
export type LinkListQuery = z.output<typeof LinkListQuery>;

/** GET /:code: the shape every code has, so anything else is a 400 before any lookup. */
export const CodeParams = z.strictObject({ code: z.string().regex(ALIAS_PATTERN, 'a code is 3 to 32 letters, digits, _ or -') });

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

export const LinkView = z
  .object({
    id: z.string(),
    code: z.string(),
    shortUrl: z.string(),
    url: z.string(),
    expiresAt: z.iso.datetime().nullable(),
    maxVisits: z.int().nullable(),
    visitsLeft: z.int().nullable().describe('redirects left under maxVisits; null without a limit'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Link' });
export type LinkView = z.infer<typeof LinkView>;

export const LinkPage = pageOf(LinkView, 'LinkPage');

export const LinkStats = z
  .object({
    total: z.int().describe('every recorded click, bots included'),
    humans: z.int(),
    bots: z.int().describe('clicks whose User-Agent is a crawler, preview fetcher or script; left out of the breakdowns'),
    byDay: z.array(z.object({ day: z.string(), clicks: z.int() })).describe('UTC days, oldest first'),
    byReferrer: z.array(z.object({ referrer: z.string(), clicks: z.int() })).describe('referring host, or "direct"; most clicks first'),
    byDevice: z.array(z.object({ device: z.string(), clicks: z.int() })).describe('desktop, mobile, tablet or unknown; most clicks first'),
  })
  .meta({ id: 'LinkStats' });
export type LinkStats = z.infer<typeof LinkStats>;
