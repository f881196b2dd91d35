// `pnpm bench`: what the shared pipeline costs. Bare Express and level-01/health-check each run
// in a child process of their own and take the same load from autocannon (GET /health).
// Two figures per server: requests per second, and the server's CPU time per request. The
// ratio pipeline / bare is reported for both; the CPU one is steadier on a busy machine, since
// other processes slow the load generator and the server alike. Target: ratio ≥ 0.85.
// A third server, pipeline-events, is health-check with the hub's pipeline events forced on and
// no page connected: its cost over pipeline is the emitter's. Target: ≤ 3% (issue 6).
// A fourth, pipeline-before, is pipeline on the shared core as it was before the request
// inspector (issue 13): in production the inspector installs nothing, so the two should match.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET = 0.85;
const EVENTS_TARGET = 0.03;

type Server = 'bare' | 'pipeline' | 'pipeline-events' | 'pipeline-before';

const repo = resolve(import.meta.dirname, '../..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

/**
 * The shared core before the request inspector, from git, in .hub/bench-baseline/core/src: the
 * parent of the commit that added inspector.ts, or BENCH_BASELINE (any revision). Its
 * node_modules is core's own, so it runs on the same dependencies.
 */
function extractBaseline(): { revision: string; index: string } {
  const added = git('log', '-1', '--format=%H', '--diff-filter=A', '--', 'shared/core/src/inspector.ts');
  const revision = git('rev-parse', '--short', process.env.BENCH_BASELINE ?? `${added}^`);
  const dir = resolve(repo, '.hub/bench-baseline/core');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', revision, 'shared/core/src'], { cwd: repo });
  execFileSync('tar', ['-x', '-C', dir, '--strip-components=2'], { input: archive });
  symlinkSync(resolve(repo, 'shared/core/node_modules'), resolve(dir, 'node_modules'));
  return { revision, index: resolve(dir, 'src/index.ts') };
}
const baseline = extractBaseline();

async function start(server: Server): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(resolve(import.meta.dirname, 'servers', `${server}.ts`), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_BASELINE_CORE: baseline.index },
  });
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
      `${server.padEnd(15)} ${Math.round(perSecond).toString().padStart(6)} req/s  ${cpuPerRequest.toFixed(0).padStart(4)} µs CPU/request  ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
    return { perSecond, cpuPerRequest };
  } finally {
    child.kill();
  }
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

console.log(`GET /health, ${CONNECTIONS} connections, ${DURATION_S} s each after a 2 s warm-up`);
const bare = await measure('bare');
// pipeline and pipeline-events differ by a few percent, less than the drift between two runs on a
// busy machine: measure them in turns, ROUNDS times each, and compare the medians.
const runs: Record<'pipeline' | 'pipeline-events' | 'pipeline-before', Array<{ perSecond: number; cpuPerRequest: number }>> = {
  pipeline: [],
  'pipeline-events': [],
  'pipeline-before': [],
};
const order = ['pipeline', 'pipeline-before', 'pipeline-events'] as const;
for (let round = 0; round < ROUNDS; round += 1) {
  // Each round starts with another server, so none is always measured first (or last).
  for (const [index] of order.entries()) {
    const server = order[(index + round) % order.length] ?? 'pipeline';
    runs[server].push(await measure(server));
  }
}
const medianOf = (server: keyof typeof runs) => ({
  perSecond: median(runs[server].map((run) => run.perSecond)),
  cpuPerRequest: median(runs[server].map((run) => run.cpuPerRequest)),
});
const pipeline = medianOf('pipeline');
const events = medianOf('pipeline-events');
const before = medianOf('pipeline-before');
const figures = (name: keyof typeof runs, { perSecond, cpuPerRequest }: typeof pipeline) =>
  `${name} ${Math.round(perSecond)} req/s ${cpuPerRequest.toFixed(0)} µs`;
if (ROUNDS > 1)
  console.log(
    `medians of ${ROUNDS}: ${figures('pipeline', pipeline)}, ${figures('pipeline-before', before)}, ${figures('pipeline-events', events)}`,
  );
const byThroughput = pipeline.perSecond / bare.perSecond;
const byCpu = bare.cpuPerRequest / pipeline.cpuPerRequest;
const verdict = (ratio: number) => (ratio >= TARGET ? 'ok' : 'BELOW TARGET');
console.log(
  `ratio           ${byThroughput.toFixed(2)} by req/s, ${byCpu.toFixed(2)} by CPU/request (target ≥ ${TARGET}): ${verdict(byCpu)}`,
);
// The events' cost, as a share of the pipeline's: more CPU per request, fewer requests per second.
const eventsByCpu = events.cpuPerRequest / pipeline.cpuPerRequest - 1;
const eventsByThroughput = events.perSecond / pipeline.perSecond - 1;
const percent = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;
console.log(
  `events overhead ${percent(eventsByCpu)} CPU/request, ${percent(eventsByThroughput)} req/s vs pipeline ` +
    `(target ≤ ${EVENTS_TARGET * 100}% by CPU/request): ${eventsByCpu <= EVENTS_TARGET ? 'ok' : 'ABOVE TARGET'}`,
);
// The request inspector in production: the same pipeline on the core before it and after it.
console.log(
  `inspector       ${percent(pipeline.cpuPerRequest / before.cpuPerRequest - 1)} CPU/request, ` +
    `${percent(pipeline.perSecond / before.perSecond - 1)} req/s: pipeline now vs pipeline on the core of ${baseline.revision} ` +
    `(production installs nothing: expected within noise)`,
);
process.exitCode = byCpu >= TARGET ? 0 : 1;
