// Receiving one file: multer parses the multipart body with hard limits, and a storage engine of
// ours decides the type from the first bytes, then streams the rest straight into storage.
import { Readable } from 'node:stream';
import { AppError, stage } from '@hub/core';
import type { Storage } from '@hub/core/storage';
import type { Request, RequestHandler } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import mongoose from 'mongoose';
import multer, { MulterError, type StorageEngine } from 'multer';

/** The types accepted, by the MIME type file-type detects, with the extension they are stored under. */
export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** file-type reads at most this many bytes to decide; fewer when the file is shorter. */
const SNIFF_BYTES = 4100;

/** What the engine adds to multer's req.file. */
export interface ReceivedFile {
  id: string;
  storageKey: string;
  type: string;
  size: number;
  originalname: string;
}

const fileProblem = (status: number, code: string, detail: string, message: string) =>
  new AppError(status, code, detail, { errors: [{ in: 'body', field: 'file', message }] });

/** Reads the first `size` bytes of `stream`; `rest` replays them, then the remainder, as one byte stream. */
async function peek(stream: Readable, size: number): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer>; discard: () => void }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  // Ending the iterator destroys the part's stream: multer then drains the request itself.
  return { head, rest: rest(), discard: () => void iterator.return?.() };
}

/**
 * The multer StorageEngine: sniff, refuse what is not on the allowlist (415), store the bytes under
 * a server-made name (<ObjectId>.<detected extension>), and remove them when multer gives up on
 * the request later (a limit, an abort).
 */
export function sniffingEngine(storage: Storage): StorageEngine {
  return {
    _handleFile(_req, file, done) {
      void (async (): Promise<Omit<ReceivedFile, 'originalname'>> => {
        const { head, rest, discard } = await peek(file.stream, SNIFF_BYTES);
        if (head.length === 0) throw fileProblem(400, 'file-empty', 'The file is empty.', 'must not be empty');
        const detected = await fileTypeFromBuffer(head);
        const extension = detected ? ALLOWED_TYPES[detected.mime] : undefined;
        if (!detected || !extension) {
          discard();
          throw fileProblem(
            415,
            'unsupported-file-type',
            `The file's content is ${detected ? detected.mime : 'of no recognised type'}; accepted: ${Object.keys(ALLOWED_TYPES).join(', ')}.`,
            'must be one of the accepted types, by its content',
          );
        }
        const id = new mongoose.Types.ObjectId().toHexString();
        const stored = await storage.put(`${id}.${extension}`, Readable.from(rest, { objectMode: false }), detected.mime);
        // Over fileSize, busboy cuts the stream short and multer answers 413; never keep the stump.
        if ((file.stream as Readable & { truncated?: boolean }).truncated) {
          await storage.delete(stored.key);
          throw new MulterError('LIMIT_FILE_SIZE', 'file');
        }
        return { id, storageKey: stored.key, type: detected.mime, size: stored.size };
      })().then((info) => done(null, info), done);
    },
    _removeFile(_req, file, done) {
      const { storageKey } = file as Express.Multer.File & Partial<ReceivedFile>;
      if (!storageKey) return done(null);
      storage.delete(storageKey).then(() => done(null), done);
    },
  };
}

/** multer's and busboy's refusals, as the problem a client should see: never a 500. */
function problemFor(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE')
      return fileProblem(413, 'file-too-large', `The file is larger than ${maxBytes} bytes.`, `must be at most ${maxBytes} bytes`);
    const field = error.field ?? 'file';
    return new AppError(400, 'bad-multipart', `${error.message}: send exactly one part, the file, named "file".`, {
      errors: [{ in: 'body', field, message: error.message.toLowerCase() }],
    });
  }
  // busboy: a broken boundary, a part header it cannot read, a body that stops early; or the client hung up.
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError(400, 'malformed-multipart', `The multipart body could not be read (${detail}).`, {
    errors: [{ in: 'body', field: 'file', message: 'must be a well-formed multipart/form-data part' }],
    cause: error,
  });
}

const isMultipart = (req: Request) => /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');

/**
 * The `upload` stage: one part named `file`, no other fields, at most `maxBytes`. A body that is
 * not multipart/form-data is a 415 naming the header; nothing is stored unless the whole file arrived.
 */
export function receiveFile({ storage, maxBytes }: { storage: Storage; maxBytes: number }): RequestHandler {
  const parse = multer({
    storage: sniffingEngine(storage),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1, fieldNameSize: 100 },
    // Browsers send the filename as raw UTF-8; busboy would read it as latin1.
    defParamCharset: 'utf8',
  }).single('file');
  return stage('upload', async (req, res) => {
    if (!isMultipart(req))
      throw new AppError(415, 'unsupported-media-type', 'Send the file as multipart/form-data, in a part named "file".', {
        errors: [{ in: 'headers', field: 'content-type', message: 'must be multipart/form-data with a boundary' }],
      });
    await new Promise<void>((received, refused) =>
      parse(req, res, (error: unknown) => (error ? refused(problemFor(error, maxBytes)) : received())),
    );
    if (!req.file)
      throw new AppError(400, 'file-missing', 'The body has no part named "file" with a file in it.', {
        errors: [{ in: 'body', field: 'file', message: 'is required' }],
      });
  });
}
