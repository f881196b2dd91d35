// `pnpm bench`: a cached redirect of level-04/url-shortener against level-01/health-check's
// /health through the same shared pipeline, with bare Express beside both (bench/pipeline's
// servers and method: each server in a child process of its own, the same autocannon load,
// req/s and the server's CPU time per request). The redirect is GET /<code> after a warm-up,
// so it is a Redis read, a 302 and a click queued in memory. Target: redirect req/s ≥ 0.8 ×
// health-check's. MongoDB and Redis are started here (or taken from MONGO_URL / REDIS_URL).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { startMongo, startRedis } from '@hub/engines';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET = 0.8;
const CODE = 'bench-link';

const mongo = await startMongo();
const redis = await startRedis();
console.log(`using ${mongo.description} + ${redis.description}`);
const env = { ...process.env, MONGO_URL: mongo.url.replace(/\/?(\?|$)/, '/bench-url-shortener$1'), REDIS_URL: redis.url };

const servers = {
  bare: { file: resolve(import.meta.dirname, '../pipeline/servers/bare.ts'), path: '/health', status: '2xx' },
  'health-check': { file: resolve(import.meta.dirname, '../pipeline/servers/pipeline.ts'), path: '/health', status: '2xx' },
  redirect: { file: resolve(import.meta.dirname, 'servers/url-shortener.ts'), path: `/${CODE}`, status: '3xx' },
} as const;
type Server = keyof typeof servers;

async function start(server: Server): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(servers[server].file, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}${servers[server].path}` };
}

async function cpuMicros(child: ChildProcess): Promise<number> {
  child.send('cpu');
  const [{ cpu }] = (await once(child, 'message')) as [{ cpu: NodeJS.CpuUsage }];
  return cpu.user + cpu.system;
}

async function measure(server: Server): Promise<{ perSecond: number; cpuPerRequest: number }> {
  const { child, url } = await start(server);
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, sockets, the cache
    const cpuBefore = await cpuMicros(child);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    const cpuPerRequest = ((await cpuMicros(child)) - cpuBefore) / result.requests.total;
    const expected = result[servers[server].status];
    if (result.errors > 0 || expected < result.requests.total)
      throw new Error(`${server}: ${result.requests.total - expected} answers not ${servers[server].status}, ${result.errors} errors`);
    const perSecond = result.requests.average;
    console.log(
      `${server.padEnd(13)} ${Math.round(perSecond).toString().padStart(6)} req/s  ${cpuPerRequest.toFixed(0).padStart(4)} µs CPU/request  ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
    return { perSecond, cpuPerRequest };
  } finally {
    child.kill();
  }
}

try {
  console.log(`${CONNECTIONS} connections, ${DURATION_S} s each after a 2 s warm-up`);
  const bare = await measure('bare');
  const health = await measure('health-check');
  const redirect = await measure('redirect');
  const byThroughput = redirect.perSecond / health.perSecond;
  const byCpu = health.cpuPerRequest / redirect.cpuPerRequest;
  console.log(
    `redirect / health-check: ${byThroughput.toFixed(2)} by req/s, ${byCpu.toFixed(2)} by CPU/request ` +
      `(target ≥ ${TARGET} by req/s): ${byThroughput >= TARGET ? 'ok' : 'BELOW TARGET'}`,
  );
  console.log(
    `against bare Express: health-check ${(health.perSecond / bare.perSecond).toFixed(2)}, redirect ${(redirect.perSecond / bare.perSecond).toFixed(2)} by req/s`,
  );
  process.exitCode = byThroughput >= TARGET ? 0 : 1;
} finally {
  await Promise.all([mongo.stop(), redis.stop()]);
}
