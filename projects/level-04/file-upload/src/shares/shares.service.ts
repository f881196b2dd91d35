import { AppError, hashPassword, newOpaqueToken, notFound, ownedBy, sha256, verifyPassword, type Principal } from '@hub/core';
import { StoredFile, type FileRecord } from '../files/file.model.ts';
import { Share, type ShareRecord } from './share.model.ts';
import type { ShareInput, ShareView } from './shares.schemas.ts';

export interface ShareDeps {
  now: () => Date;
  bcryptCost: number;
}

const gone = (detail: string) => new AppError(410, 'share-gone', detail);

/** Not expired at `now`: in the filter of every claim, never checked in JavaScript alone. */
const unexpired = (now: Date) => ({ $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] });

/** A link to one of the caller's files; the token is returned once and only its hash is kept. */
export async function createShare(principal: Principal, input: ShareInput, { now, bcryptCost }: ShareDeps): Promise<ShareView> {
  const file = await StoredFile.exists({ _id: input.file, ...ownedBy(principal) });
  if (!file) throw notFound(`No file with id ${input.file}.`);
  const token = newOpaqueToken();
  const share = await Share.create({
    file: file._id,
    owner: principal.id,
    tokenHash: sha256(token),
    expiresAt: input.expiresInSeconds ? new Date(now().getTime() + input.expiresInSeconds * 1000) : null,
    passwordHash: input.password ? await hashPassword(input.password, bcryptCost) : null,
    maxDownloads: input.maxDownloads ?? null,
    downloadsLeft: input.maxDownloads ?? null,
  });
  return {
    id: String(share._id),
    file: String(file._id),
    token,
    url: `/shares/${token}`,
    expiresAt: share.expiresAt?.toISOString() ?? null,
    maxDownloads: share.maxDownloads ?? null,
    passwordProtected: share.passwordHash !== null,
    createdAt: share.createdAt.toISOString(),
  };
}

/**
 * Opens a link for one download: unknown → 404; expired → 410; password missing or wrong → 403;
 * then one conditional update claims a download (its filter holds every precondition, so of 20
 * concurrent requests on a 5-download link exactly 5 match) or answers 410.
 */
export async function openShare(token: string, password: string | undefined, { now, bcryptCost }: ShareDeps): Promise<FileRecord> {
  const share = await Share.findOne({ tokenHash: sha256(token) }).lean<ShareRecord>();
  if (!share) throw notFound('No share link with that token.');
  const at = now();
  if (share.expiresAt && share.expiresAt <= at) throw gone('This share link has expired.');
  if (share.passwordHash) {
    if (password === undefined)
      throw new AppError(403, 'share-password-required', 'This link needs its password in X-Share-Password.', {
        errors: [{ in: 'headers', field: 'x-share-password', message: 'is required' }],
      });
    if (!(await verifyPassword(password, share.passwordHash, bcryptCost)))
      throw new AppError(403, 'share-password-wrong', 'The password is not the one of this link.', {
        errors: [{ in: 'headers', field: 'x-share-password', message: 'is not the password of this link' }],
      });
  }
  const limited = share.maxDownloads !== null;
  const claimed = await Share.findOneAndUpdate(
    { _id: share._id, ...unexpired(at), ...(limited ? { downloadsLeft: { $gt: 0 } } : {}) },
    { $inc: { downloads: 1, ...(limited ? { downloadsLeft: -1 } : {}) } },
  );
  if (!claimed) throw gone(limited ? 'This share link has been used up.' : 'This share link has expired.');
  const file = await StoredFile.findById(share.file).lean<FileRecord>();
  if (!file) throw gone('The shared file has been deleted.');
  return file;
}
