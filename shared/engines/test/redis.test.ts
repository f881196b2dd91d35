import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { repoRoot, startRedis, type Engine, type RedisOptions } from '../src/index.ts';

// Which Redis startRedis() picks, step by step: REDIS_URL, a redis-server on PATH, a build by
// redis-memory-server, an error. Each test gives it an environment of its own (REDIS_URL,
// PATH); the only part replaced is redis-memory-server's download (this machine cannot reach
// download.redis.io, and a build takes minutes), and one test runs the real one to see it give up.

// A real redis-server, for the steps that start one: from PATH, or a build left by an earlier run.
const realRedisServer = [
  ...(process.env.PATH ?? '').split(delimiter).map((dir) => resolve(dir, 'redis-server')),
  resolve(repoRoot, '.hub/redis-memory-server/stable/redis-server'),
].find((file) => existsSync(file));

const scratch = mkdtempSync(resolve(tmpdir(), 'hub-redis-test-'));
const started: Engine[] = [];
let folders = 0;

/** An empty folder of this test's own. */
const folder = () => {
  const dir = resolve(scratch, String(++folders));
  mkdirSync(dir, { recursive: true });
  return dir;
};

function needsRealRedisServer(): string {
  if (!realRedisServer)
    throw new Error('These tests start a real redis-server: install one (apt-get install redis-server, brew install redis).');
  return realRedisServer;
}

/** A PATH with redis-server on it (a link to the real one), and nothing else. */
function pathWithRedisServer(): string {
  const dir = folder();
  symlinkSync(needsRealRedisServer(), resolve(dir, 'redis-server'));
  return dir;
}

/** What redis-memory-server leaves behind after a build: <dir>/<version>/redis-server. */
function placeBuild(dir: string, version: string): string {
  const binary = resolve(dir, version, 'redis-server');
  mkdirSync(dirname(binary), { recursive: true });
  copyFileSync(needsRealRedisServer(), binary);
  chmodSync(binary, 0o755);
  return binary;
}

/** Stands in for redis-memory-server's download and build, and records each call. */
function fakeDownload(outcome: 'builds' | Error = 'builds') {
  const calls: Array<{ dir: string; version: string }> = [];
  const download: NonNullable<RedisOptions['download']> = async (dir, version) => {
    calls.push({ dir, version });
    if (outcome instanceof Error) throw outcome;
    return placeBuild(dir, version);
  };
  return { download, calls };
}

/** startRedis with nothing on PATH unless `env` says otherwise; what it starts is stopped after the test. */
async function start(options: RedisOptions): Promise<{ engine: Engine; skipped: string[] }> {
  const skipped: string[] = [];
  const engine = await startRedis({ env: { PATH: folder() }, onSkip: (name, reason) => skipped.push(`${name}: ${reason}`), ...options });
  started.push(engine);
  return { engine, skipped };
}

/** Sends PING over a raw connection: the answer of a real Redis. */
function ping(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => (socket.end(), done(data.toString().trim())));
    socket.once('error', fail);
  });
}

afterEach(async () => {
  for (const engine of started.splice(0)) await engine.stop();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FIXES = [
  'Any one of these fixes it:',
  '- set REDIS_URL (for example redis://127.0.0.1:6379 after `docker compose up -d redis`);',
  '- install redis-server (apt-get install redis-server, brew install redis);',
  '- let redis-memory-server download Redis once and build it (needs internet access, make and a C compiler: apt-get install build-essential).',
];

describe('startRedis: where Redis comes from, in order', () => {
  test('1. REDIS_URL, when set: nothing is started or downloaded, even with redis-server on PATH', async () => {
    const env = { REDIS_URL: 'redis://redis.example:6380', PATH: pathWithRedisServer() };
    const { download, calls } = fakeDownload();

    const { engine } = await start({ env, buildDir: folder(), download });

    expect(engine).toMatchObject({ url: 'redis://redis.example:6380', description: 'Redis from REDIS_URL' });
    expect(calls).toEqual([]);
  });

  test('2. else a redis-server from PATH, on a free loopback port; redis-memory-server is not asked', async () => {
    const buildDir = folder();
    placeBuild(buildDir, 'stable'); // even a cached build comes second
    const { download, calls } = fakeDownload();

    const { engine, skipped } = await start({ env: { PATH: pathWithRedisServer() }, buildDir, download });

    expect(engine.description).toMatch(/^redis-server on port \d+$/);
    expect(engine.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await ping(engine.url)).toBe('+PONG');
    expect({ skipped, calls }).toEqual({ skipped: [], calls: [] });
  });

  test('3. else the redis-server redis-memory-server built before, from its cache: no download', async () => {
    const buildDir = folder();
    placeBuild(buildDir, 'stable');
    const { download, calls } = fakeDownload();

    const { engine, skipped } = await start({ buildDir, download });

    expect(engine.description).toMatch(/^redis-server \d+\.\d+\.\d+ \(built by redis-memory-server\) on port \d+$/);
    expect(await ping(engine.url)).toBe('+PONG');
    expect(skipped).toEqual(['redis-server: `redis-server` is not on PATH']);
    expect(calls).toEqual([]);
  });

  test('3. with no build yet, redis-memory-server downloads and builds it once; the next start reuses it', async () => {
    const buildDir = folder();
    const { download, calls } = fakeDownload();

    const first = await start({ buildDir, download });
    await first.engine.stop();
    const second = await start({ buildDir, download });

    expect(calls).toEqual([{ dir: buildDir, version: 'stable' }]);
    expect(first.engine.description).toContain('(built by redis-memory-server)');
    expect(await ping(second.engine.url)).toBe('+PONG');
  });

  test('3. REDISMS_VERSION (redis-memory-server’s own setting) chooses the version built', async () => {
    const buildDir = folder();
    const { download, calls } = fakeDownload();

    await start({ env: { PATH: folder(), REDISMS_VERSION: '7.4.2' }, buildDir, download });

    expect(calls).toEqual([{ dir: buildDir, version: '7.4.2' }]);
  });

  test('4. else an error naming why each step failed and every fix: a failed build', async () => {
    const { download, calls } = fakeDownload(new Error('make exited with code 2: cc: not found'));

    const failure = start({ buildDir: folder(), download });

    await expect(failure).rejects.toThrow(
      [
        'No Redis could be found or started (REDIS_URL is not set).',
        '- redis-server: `redis-server` is not on PATH',
        '- redis-memory-server: make exited with code 2: cc: not found',
        ...FIXES,
      ].join('\n'),
    );
    expect(calls).toHaveLength(1);
  });

  test('4. the real download step gives up within seconds where download.redis.io cannot be reached', async () => {
    // Tests reach loopback only (the test kit blocks the rest), like a machine offline.
    const buildDir = folder();
    const skipped: string[] = [];
    const startedAt = Date.now();

    const error = await start({ buildDir, onSkip: (name) => skipped.push(name) }).catch((caught: unknown) => caught);

    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.split('\n')).toEqual([
      'No Redis could be found or started (REDIS_URL is not set).',
      '- redis-server: `redis-server` is not on PATH',
      expect.stringMatching(/^- redis-memory-server: no binary cached and download\.redis\.io cannot be reached \(.+\)$/),
      ...FIXES,
    ]);
    expect(skipped).toEqual(['redis-server', 'redis-memory-server']);
    expect(existsSync(resolve(buildDir, 'stable', 'redis-server'))).toBe(false);
  });
});
