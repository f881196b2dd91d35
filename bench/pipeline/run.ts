// `pnpm bench`: how many requests per second the shared pipeline costs. Bare Express and
// level-01/health-check each run in a child process of their own and take the same load from
// autocannon; the ratio pipeline / bare is the figure we track (target ≥ 0.85).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET = 0.85;

async function start(server: 'bare' | 'pipeline'): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(resolve(import.meta.dirname, 'servers', `${server}.ts`), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}/health` };
}

async function measure(server: 'bare' | 'pipeline'): Promise<number> {
  const { child, url } = await start(server);
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, sockets
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    console.log(
      `${server.padEnd(8)} ${Math.round(result.requests.average).toString().padStart(6)} req/s  ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
    return result.requests.average;
  } finally {
    child.kill();
  }
}

console.log(`GET /health, ${CONNECTIONS} connections, ${DURATION_S} s each (after a 2 s warm-up)`);
const bare = await measure('bare');
const pipeline = await measure('pipeline');
const ratio = pipeline / bare;
console.log(`ratio    ${ratio.toFixed(2)} (pipeline / bare; target ≥ ${TARGET}) ${ratio >= TARGET ? 'ok' : 'BELOW TARGET'}`);
process.exitCode = ratio >= TARGET ? 0 : 1;
