// `pnpm bench`: a 50 MB upload must raise level-04/file-upload's RSS by less than 10 MB, because
// the file streams from the socket through the type sniffing into storage, never whole in memory.
// The service runs in a child process of its own (servers/file-upload.ts) on embedded MongoDB;
// the upload is generated as a stream here, so neither side ever holds the 50 MB. Two runs, each
// in a fresh server: one with a young-generation collection every 10 ms (what the upload keeps
// alive: the target), one as V8 runs by default (dead Buffers wait for a collection: for information).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startMongo } from '@hub/engines';

const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 50);
const TARGET_MB = 10;
const MB = 1024 * 1024;

/** Streams one PNG of `bytes` bytes as multipart/form-data; resolves with the status and body. */
async function upload(base: string, token: string, bytes: number): Promise<{ status: number; body: string }> {
  const boundary = 'BenchBoundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // A PNG signature, its IHDR chunk and an IDAT chunk header: file-type decides at the IDAT.
  const png = Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    Buffer.alloc(17),
    Buffer.from('00000000IDAT', 'latin1'),
  ]);
  const chunk = Buffer.alloc(64 * 1024, 7);
  async function* body() {
    yield head;
    yield png;
    let left = bytes - png.length;
    for (; left > chunk.length; left -= chunk.length) yield chunk;
    yield chunk.subarray(0, left);
    yield tail;
  }
  const req = request(`${base}/files`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': String(head.length + bytes + tail.length),
    },
  });
  const answered = once(req, 'response') as Promise<[IncomingMessage]>;
  await pipeline(Readable.from(body()), req);
  const [res] = await answered;
  return { status: res.statusCode ?? 0, body: Buffer.concat(await res.toArray()).toString() };
}

/** A fresh server: sign up, warm up, then the RSS growth (MB) over its baseline during one FILE_MB upload. */
async function measure(label: string, mongoUrl: string, collect: boolean): Promise<number> {
  const uploadDir = await mkdtemp(join(tmpdir(), 'bench-file-upload-'));
  const child = fork(resolve(import.meta.dirname, 'servers', 'file-upload.ts'), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      MONGO_URL: mongoUrl,
      UPLOAD_DIR: uploadDir,
      UPLOAD_MAX_BYTES: String((FILE_MB + 14) * MB),
      BENCH_COLLECT: collect ? '1' : '0',
    },
  });
  const ask = async <T>(message: string): Promise<T> => {
    child.send(message);
    return ((await once(child, 'message')) as [T])[0];
  };
  try {
    const [{ port }] = (await once(child, 'message')) as [{ port: number }];
    const base = `http://127.0.0.1:${port}`;
    const signup = await fetch(`${base}/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    const { accessToken } = (await signup.json()) as { accessToken: string };
    // Warm-up: every module, the JIT and the socket buffers are in place before the baseline.
    for (let n = 0; n < 3; n += 1) await upload(base, accessToken, 2 * MB);

    const { baseline } = await ask<{ baseline: number }>('reset');
    const started = performance.now();
    const result = await upload(base, accessToken, FILE_MB * MB);
    const seconds = (performance.now() - started) / 1000;
    const { peak } = await ask<{ peak: number }>('peak');
    if (result.status !== 201) throw new Error(`upload answered ${result.status}: ${result.body}`);
    const grew = (peak - baseline) / MB;
    console.log(
      `${label.padEnd(40)} ${FILE_MB} MB in ${seconds.toFixed(2)} s (${(FILE_MB / seconds).toFixed(0)} MB/s); ` +
        `RSS ${(baseline / MB).toFixed(1)} → ${(peak / MB).toFixed(1)} MB: +${grew.toFixed(1)} MB`,
    );
    return grew;
  } finally {
    child.kill();
    await rm(uploadDir, { recursive: true, force: true });
  }
}

const mongo = await startMongo();
const mongoUrl = mongo.url.replace(/\/?(\?|$)/, '/bench-file-upload$1');
try {
  const live = await measure('young generation swept every 10 ms', mongoUrl, true);
  await measure('as V8 runs by default', mongoUrl, false);
  console.log(
    `a ${FILE_MB} MB upload keeps +${live.toFixed(1)} MB of RSS alive (target < ${TARGET_MB} MB): ${live < TARGET_MB ? 'ok' : 'ABOVE TARGET'}`,
  );
  process.exitCode = live < TARGET_MB ? 0 : 1;
} finally {
  await mongo.stop();
}
