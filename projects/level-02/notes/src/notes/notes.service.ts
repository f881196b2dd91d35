import { containing, notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import { Note, type NoteRecord } from './note.model.ts';
import type { NoteInput, NoteListQuery, NotePatch, NoteSort, NoteView } from './notes.schemas.ts';

// paginate() adds _id as the last key, so equal timestamps still have one order.
const SORTS: Record<NoteSort, Record<string, 1 | -1>> = {
  'pinned-first': { pinned: -1, updatedAt: -1 },
  updated: { updatedAt: -1 },
  created: { createdAt: -1 },
  title: { title: 1 },
};

const toView = (note: NoteRecord): NoteView => ({
  id: String(note._id),
  title: note.title,
  body: note.body,
  tags: note.tags,
  pinned: note.pinned,
  archived: note.archived,
  createdAt: note.createdAt.toISOString(),
  updatedAt: note.updatedAt.toISOString(),
});

// Someone else's note and a note that does not exist get the same answer.
const noSuchNote = (id: string) => notFound(`No note with id ${id}.`);

export async function createNote(principal: Principal, input: NoteInput): Promise<NoteView> {
  const note = await Note.create({ ...input, owner: principal.id });
  return toView(note.toObject());
}

export async function listNotes(principal: Principal, { tag, archived, q, sort, ...page }: NoteListQuery): Promise<Page<NoteView>> {
  const filter = {
    ...ownedBy(principal),
    archived,
    ...(tag ? { tags: tag } : {}),
    ...(q ? containing(q, ['title', 'body']) : {}),
  };
  return paginate(Note, { filter, sort: SORTS[sort], map: toView }, page);
}

export async function readNote(principal: Principal, id: string): Promise<NoteView> {
  const note = await Note.findOne({ _id: id, ...ownedBy(principal) }).lean<NoteRecord>();
  if (!note) throw noSuchNote(id);
  return toView(note);
}

/** One operation: the filter states whose note it must be, so there is no gap between check and write. */
export async function updateNote(principal: Principal, id: string, patch: NotePatch): Promise<NoteView> {
  const note = await Note.findOneAndUpdate(
    { _id: id, ...ownedBy(principal) },
    { $set: patch },
    { returnDocument: 'after', runValidators: true },
  ).lean<NoteRecord>();
  if (!note) throw noSuchNote(id);
  return toView(note);
}

export async function deleteNote(principal: Principal, id: string): Promise<void> {
  const { deletedCount } = await Note.deleteOne({ _id: id, ...ownedBy(principal) });
  if (deletedCount === 0) throw noSuchNote(id);
}
