import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Storage } from '@hub/core/storage';
import type { Request, Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { sendFile } from './download.ts';
import { DownloadHeaders, FileId, FileListQuery, FilePage, FileView } from './files.schemas.ts';
import { deleteFile, findOwnFile, listFiles, recordUpload, toView } from './files.service.ts';
import { receiveFile, type ReceivedFile } from './upload.ts';

const listing = { query: FileListQuery };
const byId = { params: FileId };
const downloading = { params: FileId, headers: DownloadHeaders };

export interface FilesDeps {
  access: AppAccess;
  storage: Storage;
  maxBytes: number;
}

/** The /files routes, each line in pipeline order: validate → authenticate → authorize → (upload) → handler. */
export function filesRoutes({ access, storage, maxBytes }: FilesDeps): ApiRouter {
  async function upload(req: Request, res: Response) {
    const file = await recordUpload(principalOf(req), req.file as Express.Multer.File & ReceivedFile, storage);
    res.status(201).location(`${req.baseUrl}/${file.id}`).json(file);
  }

  async function download(req: ValidRequest<typeof downloading>, res: Response) {
    await sendFile(req, res, await findOwnFile(principalOf(req), req.params.id), storage);
  }

  async function remove(req: ValidRequest<typeof byId>, res: Response) {
    await deleteFile(principalOf(req), req.params.id, storage);
    res.status(204).end();
  }

  return new ApiRouter('files')
    .post(
      '/',
      {
        summary: 'Upload a file (multipart/form-data, one part named "file")',
        description: 'The type is decided by the first bytes; PNG, JPEG, GIF, WebP and PDF are accepted.',
        responses: { 201: FileView },
      },
      access.authenticate(),
      access.authorize('files:write'),
      receiveFile({ storage, maxBytes }),
      upload,
    )
    .get(
      '/',
      { summary: 'My files, newest first; by page or cursor', responses: { 200: FilePage } },
      validate(listing),
      access.authenticate(),
      access.authorize('files:read'),
      list,
    )
    .get(
      '/:id',
      { summary: 'One of my files: its name, type and size', responses: { 200: FileView } },
      validate(byId),
      access.authenticate(),
      access.authorize('files:read'),
      read,
    )
    .get(
      '/:id/content',
      {
        summary: 'Download one of my files, as an attachment; one byte range allowed',
        responses: { 200: 'the file', 206: 'the range asked for' },
      },
      validate(downloading),
      access.authenticate(),
      access.authorize('files:read'),
      download,
    )
    .delete(
      '/:id',
      { summary: 'Delete one of my files, its stored bytes and its share links', responses: { 204: 'deleted' } },
      validate(byId),
      access.authenticate(),
      access.authorize('files:write'),
      remove,
    );
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listFiles(principalOf(req), req.query));
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(toView(await findOwnFile(principalOf(req), req.params.id)));
}
