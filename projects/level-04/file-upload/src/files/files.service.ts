import { notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import type { Storage } from '@hub/core/storage';
import { Share } from '../shares/share.model.ts';
import { StoredFile, type FileRecord } from './file.model.ts';
import type { FileListQuery, FileView } from './files.schemas.ts';
import type { ReceivedFile } from './upload.ts';

// The use cases: database and storage work only, no req or res.

/** What the API shows of a stored file: never its owner or its storage key. */
export const toView = (file: FileRecord): FileView => ({
  id: String(file._id),
  name: file.name,
  type: file.type,
  size: file.size,
  createdAt: file.createdAt.toISOString(),
});

// Someone else's file and a file that does not exist get the same answer.
const noSuchFile = (id: string) => notFound(`No file with id ${id}.`);

/**
 * Strips what a name must never carry: any path (`../`, `C:\`), control characters (NUL), and the
 * bidirectional controls that make `gpj.exe` display as `exe.jpg` (RTL override).
 */
export function cleanName(original: string): string {
  const base = original.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const visible = base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  const name = [...visible.trim()].slice(0, 200).join('');
  return name === '' || /^\.+$/.test(name) ? 'file' : name;
}

/** Records an upload the engine already stored; if the record cannot be written, the bytes go too. */
export async function recordUpload(principal: Principal, received: ReceivedFile, storage: Storage): Promise<FileView> {
  try {
    const file = await StoredFile.create({
      _id: received.id,
      owner: principal.id,
      name: cleanName(received.originalname),
      type: received.type,
      size: received.size,
      storageKey: received.storageKey,
    });
    return toView(file.toObject());
  } catch (error) {
    await storage.delete(received.storageKey);
    throw error;
  }
}

/** The owner is part of the filter, so another user's file simply does not match: 404, never 403. */
export async function findOwnFile(principal: Principal, id: string): Promise<FileRecord> {
  const file = await StoredFile.findOne({ _id: id, ...ownedBy(principal) }).lean<FileRecord>();
  if (!file) throw noSuchFile(id);
  return file;
}

export async function listFiles(principal: Principal, page: FileListQuery): Promise<Page<FileView>> {
  return paginate(StoredFile, { filter: ownedBy(principal), sort: { createdAt: -1 }, map: toView }, page);
}

/**
 * Removes the stored bytes first, then the record and its share links: if storage fails, the
 * record stays and the delete can be retried, so no object is ever left without a record.
 */
export async function deleteFile(principal: Principal, id: string, storage: Storage): Promise<void> {
  const file = await findOwnFile(principal, id);
  await storage.delete(file.storageKey);
  await StoredFile.deleteOne({ _id: file._id, ...ownedBy(principal) });
  await Share.deleteMany({ file: file._id });
}
