import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, onPath, reachable, spawnUntilReady, stopChild, type Engine } from './child.ts';
import { hubDir } from './paths.ts';

export interface RedisOptions {
  /** Folder under .hub/ for a dump that survives restarts (dev); omit for a throwaway server (tests). */
  dataDir?: string;
  /** Called with each engine tried and why it was passed over. */
  onSkip?: (engine: string, reason: string) => void;
  /** Told what a slow step is doing: the one-time Redis build (default: printed). */
  log?: (line: string) => void;
  /** Where REDIS_URL, REDISMS_VERSION and PATH are read from (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Where redis-memory-server keeps the redis-server it builds (default `.hub/redis-memory-server`). */
  buildDir?: string;
  /**
   * redis-memory-server's download step: fetches Redis's source, builds redis-server under
   * `dir` (as `<dir>/<version>/redis-server`) and resolves with its path. Called only when no
   * build is there yet. Tests pass their own, since the download host is unreachable from them.
   */
  download?: (dir: string, version: string, log: (line: string) => void, env: NodeJS.ProcessEnv) => Promise<string>;
}

const MEMORY_SERVER = 'redis-memory-server';

/**
 * Finds a Redis to use, in this order: REDIS_URL; a `redis-server` from PATH on a free loopback
 * port; a redis-server built from source once by redis-memory-server (cached under .hub/);
 * else an error that says how to get each.
 */
export async function startRedis(options: RedisOptions = {}): Promise<Engine> {
  const { dataDir, onSkip = () => {}, log = console.log, env = process.env, buildDir, download = downloadAndBuild } = options;
  const fromEnv = env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, description: 'Redis from REDIS_URL', stop: async () => {} };

  const reasons: string[] = [];
  for (const [name, start] of [
    [
      'redis-server',
      async () => {
        if (!(await onPath('redis-server', env))) throw new Error('`redis-server` is not on PATH');
        return startRedisServer('redis-server', 'redis-server', env, dataDir);
      },
    ],
    [
      MEMORY_SERVER,
      async () => {
        const dir = buildDir ?? hubDir(MEMORY_SERVER);
        const version = env.REDISMS_VERSION || 'stable';
        // Where redis-memory-server leaves its build: found there, nothing is downloaded.
        const cached = resolve(dir, version, 'redis-server');
        const binary = existsSync(cached) ? cached : await download(dir, version, log, env);
        return startRedisServer(binary, `redis-server ${await versionOf(binary)} (built by ${MEMORY_SERVER})`, env, dataDir);
      },
    ],
  ] as const) {
    try {
      return await start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      reasons.push(`- ${name}: ${reason}`);
      onSkip(name, reason);
    }
  }
  throw new Error(
    [
      'No Redis could be found or started (REDIS_URL is not set).',
      ...reasons,
      'Any one of these fixes it:',
      '- set REDIS_URL (for example redis://127.0.0.1:6379 after `docker compose up -d redis`);',
      '- install redis-server (apt-get install redis-server, brew install redis);',
      '- let redis-memory-server download Redis once and build it (needs internet access, make and a C compiler: apt-get install build-essential).',
    ].join('\n'),
  );
}

async function startRedisServer(command: string, name: string, env: NodeJS.ProcessEnv, dataDir?: string): Promise<Engine> {
  const port = await freePort();
  const persistence = dataDir ? ['--dir', hubDir(...dataDir.split(/[\\/]/), 'redis'), '--save', '60 1'] : ['--save', ''];
  const { child } = await spawnUntilReady(
    command,
    // noeviction: BullMQ loses jobs under any other policy.
    ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...persistence],
    /Ready to accept connections/,
    { timeoutMs: 15_000, env },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    description: `${name} on port ${port}${dataDir ? ' (data kept under .hub/)' : ''}`,
    stop: () => stopChild(child),
  };
}

/** "7.0.15", from `redis-server --version` ("Redis server v=7.0.15 sha=…"). */
async function versionOf(binary: string): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, ['--version'], { timeout: 10_000 });
  return /v=(\S+)/.exec(stdout)?.[1] ?? 'of unknown version';
}

/**
 * The real download step: once the download host answers and make and a C compiler are there,
 * redis-memory-server fetches Redis's source and builds redis-server (a few minutes, once).
 */
async function downloadAndBuild(dir: string, version: string, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<string> {
  const { RedisBinary } = await import('redis-memory-server');
  // CommonJS compiled from TypeScript: the class is module.exports.default.
  const { default: urls } = await import('redis-memory-server/lib/util/RedisBinaryDownloadUrl.js');
  const url = new URL(await new urls.default({ version }).getDownloadUrl());
  // Where the host cannot be reached, give up in seconds instead of failing slowly later.
  await reachable(url.hostname, Number(url.port || (url.protocol === 'http:' ? 80 : 443)), 2_500);
  if (process.platform !== 'win32') {
    for (const tool of ['make', 'cc']) {
      if (!(await onPath(tool, env)))
        throw new Error(`no binary cached, and building Redis from source needs \`${tool}\`, which is not on PATH`);
    }
  }
  log(`Redis: building redis-server ${version} from ${url.href} with ${MEMORY_SERVER}: once, a few minutes (kept in ${dir})`);
  return RedisBinary.getPath({ downloadDir: dir, version });
}
