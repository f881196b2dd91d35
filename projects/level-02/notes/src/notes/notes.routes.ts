import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { NoteId, NoteInput, NoteListQuery, NotePage, NotePatch, NoteView } from './notes.schemas.ts';
import { createNote, deleteNote, listNotes, readNote, updateNote } from './notes.service.ts';

const creating = { body: NoteInput };
const listing = { query: NoteListQuery };
const byId = { params: NoteId };
const patching = { params: NoteId, body: NotePatch };

export function notesRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('notes')
    .post(
      '/',
      { summary: 'Write a note', responses: { 201: NoteView } },
      validate(creating),
      access.authenticate(),
      access.authorize('notes:write'),
      create,
    )
    .get(
      '/',
      { summary: 'My notes: filter by tag, archived, search text; sort; page or cursor', responses: { 200: NotePage } },
      validate(listing),
      access.authenticate(),
      access.authorize('notes:read'),
      list,
    )
    .get(
      '/:id',
      { summary: 'Read one of my notes', responses: { 200: NoteView } },
      validate(byId),
      access.authenticate(),
      access.authorize('notes:read'),
      read,
    )
    .patch(
      '/:id',
      { summary: 'Change some fields of one of my notes', responses: { 200: NoteView } },
      validate(patching),
      access.authenticate(),
      access.authorize('notes:write'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete one of my notes', responses: { 204: 'deleted' } },
      validate(byId),
      access.authenticate(),
      access.authorize('notes:write'),
      remove,
    );
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const note = await createNote(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${note.id}`).json(note);
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listNotes(principalOf(req), req.query));
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readNote(principalOf(req), req.params.id));
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  res.json(await updateNote(principalOf(req), req.params.id, req.body));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deleteNote(principalOf(req), req.params.id);
  res.status(204).end();
}
