import { IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. The upload itself is multipart, read by
// the `upload` stage (upload.ts), not by validate().

export const FileId = IdParams;

/** GET /files: the shared limit, page and cursor. */
export const FileListQuery = pageQuery({});
export type FileListQuery = z.output<typeof FileListQuery>;

/** A Range request header, checked by the download itself (416 when it cannot be served). */
export const DownloadHeaders = z.object({ range: z.string().max(200).optional() });

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

export const FileView = z
  .object({
    id: z.string(),
    name: z.string().meta({ description: "the client's name for the file, cleaned; only ever sent back in Content-Disposition" }),
    type: z.string().meta({ description: 'the MIME type its first bytes show', example: 'image/png' }),
    size: z.int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'File' });
export type FileView = z.infer<typeof FileView>;

export const FilePage = pageOf(FileView, 'FilePage');
