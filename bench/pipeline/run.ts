// `pnpm bench`: what the shared pipeline costs. Bare Express and level-01/health-check each run
// in a child process of their own and take the same load from autocannon (GET /health).
// Two figures per server: requests per second, and the server's CPU time per request. The
// ratio pipeline / bare is reported for both; the CPU one is steadier on a busy machine, since
// other processes slow the load generator and the server alike. Target: ratio ≥ 0.85.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET = 0.85;

type Server = 'bare' | 'pipeline';

async function start(server: Server): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(resolve(import.meta.dirname, 'servers', `${server}.ts`), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}/health` };
}

async function cpuMicros(child: ChildProcess): Promise<number> {
  child.send('cpu');
  const [{ cpu }] = (await once(child, 'message')) as [{ cpu: NodeJS.CpuUsage }];
  return cpu.user + cpu.system;
}

async function measure(server: Server): Promise<{ perSecond: number; cpuPerRequest: number }> {
  const { child, url } = await start(server);
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, sockets
    const cpuBefore = await cpuMicros(child);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    const cpuPerRequest = ((await cpuMicros(child)) - cpuBefore) / result.requests.total;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    const perSecond = result.requests.average;
    console.log(
      `${server.padEnd(8)} ${Math.round(perSecond).toString().padStart(6)} req/s  ${cpuPerRequest.toFixed(0).padStart(4)} µs CPU/request  ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
    return { perSecond, cpuPerRequest };
  } finally {
    child.kill();
  }
}

console.log(`GET /health, ${CONNECTIONS} connections, ${DURATION_S} s each after a 2 s warm-up`);
const bare = await measure('bare');
const pipeline = await measure('pipeline');
const byThroughput = pipeline.perSecond / bare.perSecond;
const byCpu = bare.cpuPerRequest / pipeline.cpuPerRequest;
const verdict = (ratio: number) => (ratio >= TARGET ? 'ok' : 'BELOW TARGET');
console.log(`ratio    ${byThroughput.toFixed(2)} by req/s, ${byCpu.toFixed(2)} by CPU/request (target ≥ ${TARGET}): ${verdict(byCpu)}`);
process.exitCode = byCpu >= TARGET ? 0 : 1;
