import { freePort, onPath, spawnUntilReady, stopChild, type Engine } from './child.ts';
import { hubDir } from './paths.ts';

export interface RedisOptions {
  /** Folder under .hub/ for a dump that survives restarts (dev); omit for a throwaway server (tests). */
  dataDir?: string;
}

/** Finds a Redis to use: REDIS_URL, else a `redis-server` from PATH on a free loopback port. */
export async function startRedis({ dataDir }: RedisOptions = {}): Promise<Engine> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, description: 'Redis from REDIS_URL', stop: async () => {} };
  if (!(await onPath('redis-server'))) {
    throw new Error(
      [
        'No Redis could be found or started: REDIS_URL is not set and `redis-server` is not on PATH.',
        'Any one of these fixes it:',
        '- `docker compose up -d redis` and set REDIS_URL=redis://127.0.0.1:6379;',
        '- install redis-server (apt-get install redis-server, brew install redis).',
      ].join('\n'),
    );
  }
  const port = await freePort();
  const persistence = dataDir ? ['--dir', hubDir(...dataDir.split(/[\\/]/), 'redis'), '--save', '60 1'] : ['--save', ''];
  const { child } = await spawnUntilReady(
    'redis-server',
    // noeviction: BullMQ loses jobs under any other policy.
    ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...persistence],
    /Ready to accept connections/,
    { timeoutMs: 15_000 },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    description: `redis-server on port ${port}${dataDir ? ' (data kept under .hub/)' : ''}`,
    stop: () => stopChild(child),
  };
}
