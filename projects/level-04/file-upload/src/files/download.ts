// Sending a stored file: always as an attachment, never sniffed, streamed, with one byte range.
import { pipeline } from 'node:stream/promises';
import { AppError } from '@hub/core';
import type { ByteRange, Storage } from '@hub/core/storage';
import type { Request, Response } from 'express';
import type { FileRecord } from './file.model.ts';

/** What the download reads of the request: its Range header. */
type RangeRequest = Pick<Request, 'headers' | 'range'>;

/** RFC 5987 ext-value characters: everything else is percent-encoded. */
const encodeExtValue = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the quoted form is a printable-ASCII
 * fallback with quotes and backslashes replaced, the extended form carries the real name.
 */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

/** The one range asked for; undefined for the whole file (no Range, or several ranges, which we answer in full). */
function rangeOf(req: RangeRequest, size: number): ByteRange | undefined {
  if (req.headers.range === undefined) return undefined;
  const ranges = req.range(size, { combine: true });
  if (ranges === -1 || ranges === -2 || ranges === undefined || ranges.type !== 'bytes')
    throw new AppError(
      416,
      'range-not-satisfiable',
      `The Range header asks for bytes this ${size}-byte file cannot give (use bytes=start-end).`,
      {
        headers: { 'Content-Range': `bytes */${size}` },
        errors: [{ in: 'headers', field: 'range', message: `must be bytes=start-end within 0-${size - 1}` }],
      },
    );
  const [first] = ranges;
  return ranges.length === 1 && first ? { start: first.start, end: first.end } : undefined;
}

export async function sendFile(req: RangeRequest, res: Response, file: FileRecord, storage: Storage): Promise<void> {
  const range = rangeOf(req, file.size);
  const body = await storage.read(file.storageKey, range);
  res.set({
    'Content-Type': file.type,
    'Content-Disposition': attachment(file.name),
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
    'Content-Length': String(range ? range.end - range.start + 1 : file.size),
  });
  if (range) res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  try {
    await pipeline(body, res);
  } catch (error) {
    // The client hung up mid-download: nothing is left to answer.
    if (!res.destroyed) throw error;
  }
}
