import { clientBody, IdParams, pageOf, pageQuery, searchText } from '@hub/core';
import { z } from 'zod';

const title = z.string().trim().min(1).max(200).meta({ example: 'Groceries' });
const body = z.string().max(10_000).meta({ description: 'plain text, at most 10,000 characters', example: 'milk, eggs' });
const tag = z.string().trim().toLowerCase().min(1).max(30).meta({ example: 'home' });
// Checked before de-duplication, so the work done on one body stays bounded.
const tags = z
  .array(tag)
  .max(20)
  .transform((list) => [...new Set(list)])
  .meta({ description: 'at most 20; trimmed, lower-cased, de-duplicated' });
const pinned = z.boolean();
const archived = z.boolean();

export const NoteId = IdParams;

/** POST /notes: a title is required; everything else has a default. */
export const NoteInput = clientBody(
  z.object({ title, body: body.default(''), tags: tags.default([]), pinned: pinned.default(false), archived: archived.default(false) }),
);
export type NoteInput = z.output<typeof NoteInput>;

/** PATCH /notes/:id: any subset of the fields, but at least one (no defaults: absent means unchanged). */
export const NotePatch = clientBody(z.object({ title, body, tags, pinned, archived }).partial()).refine(
  (patch) => Object.keys(patch).length > 0,
  {
    message: 'send at least one of title, body, tags, pinned, archived',
  },
);
export type NotePatch = z.output<typeof NotePatch>;

export const NOTE_SORTS = ['pinned-first', 'updated', 'created', 'title'] as const;
export type NoteSort = (typeof NOTE_SORTS)[number];

export const NoteListQuery = pageQuery({
  tag: tag.optional().meta({ description: 'only notes carrying this tag' }),
  // A query string is text: only the exact words true and false are accepted.
  archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({ description: 'false (default): active notes; true: archived notes' }),
  q: searchText.optional(),
  sort: z.enum(NOTE_SORTS).default('pinned-first').meta({ description: 'pinned-first (default), updated, created or title' }),
});
export type NoteListQuery = z.output<typeof NoteListQuery>;

export const NoteView = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    pinned: z.boolean(),
    archived: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Note' });
export type NoteView = z.infer<typeof NoteView>;

export const NotePage = pageOf(NoteView, 'NotePage');
