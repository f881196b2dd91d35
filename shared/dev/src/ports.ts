// Every service has a port of its own, written in its package.json (`"hub": { "port": 3102 }`)
// and used by `pnpm dev`, its README, its Postman environment and the hub page. When that port
// is taken, `pnpm dev` stops and says what holds it: it never moves to another port silently,
// because the README's curl lines and the Postman environment would then reach something else.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { LaunchError } from './projects.ts';

/** 3000 + 100 × level + its number within the level: level-01's first service listens on 3101. */
export function servicePort(level: number, number: number): number {
  return 3000 + 100 * level + number;
}

/** The first port of the level that no service in `taken` uses (what `pnpm new` gives a new one). */
export function nextServicePort(level: number, taken: Iterable<number>): number {
  const used = new Set(taken);
  for (let number = 1; number < 100; number++) if (!used.has(servicePort(level, number))) return servicePort(level, number);
  throw new Error(`Level ${level} has no free port left (${servicePort(level, 1)}-${servicePort(level, 99)}).`);
}

export function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** Who holds a port: one of our services (by the name its /health answers), or a process. */
export interface PortHolder {
  /** The package name a service of this repository gives in its /health answer. */
  service?: string;
  /** `pid 1234 (node src/server.ts)`, when ss or lsof can tell (only for this user's processes). */
  process?: string;
}

export async function portHolder(port: number): Promise<PortHolder> {
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_500) });
    const body = (await answer.json()) as { service?: unknown };
    if (answer.ok && typeof body.service === 'string') return { service: body.service };
  } catch {
    // not HTTP, not JSON, or no answer: ask the system instead
  }
  const pid = await listeningPid(port);
  return pid === undefined ? {} : { process: describeProcess(pid) };
}

const run = promisify(execFile);

/** The pid listening on the port, from `ss` (Linux) or else `lsof` (macOS); undefined when neither says. */
async function listeningPid(port: number): Promise<number | undefined> {
  const attempts: Array<[string, string[], RegExp]> = [
    ['ss', ['-ltnpH', `sport = :${port}`], /pid=(\d+)/],
    ['lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'], /^p(\d+)/m],
  ];
  for (const [command, args, pattern] of attempts) {
    try {
      const { stdout } = await run(command, args, { timeout: 3_000 });
      const pid = pattern.exec(stdout)?.[1];
      if (pid) return Number(pid);
    } catch {
      // not installed, or not allowed: try the next one
    }
  }
  return undefined;
}

/** `pid 1234 (node server.js)`: its command line where /proc has it (ss names a Node process "MainThread"). */
function describeProcess(pid: number): string {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .replace(/[\0\s]+/g, ' ')
      .trim();
    if (commandLine) return `pid ${pid} (${commandLine.length > 120 ? `${commandLine.slice(0, 119)}…` : commandLine})`;
  } catch {
    // no /proc (macOS): the pid alone
  }
  return `pid ${pid}`;
}

/** The port a launch cannot have, what holds it, and a message that says both. */
export class PortBusyError extends LaunchError {
  readonly port: number;
  readonly holder: PortHolder;

  constructor(service: string, port: number, holder: PortHolder, ownPort = port) {
    super(busyMessage(service, port, holder, ownPort));
    this.port = port;
    this.holder = holder;
  }
}

/** `ownPort`: the one in its package.json, when PORT asked for another. */
export function busyMessage(service: string, port: number, { service: holder, process }: PortHolder, ownPort = port): string {
  const other = `run this one on another port with PORT=<port> (its README and Postman environment say ${ownPort})`;
  if (holder === service) {
    return [
      `Port ${port} is busy: ${service} is already running there (in another terminal, or started from the hub page).`,
      `Use that one at http://localhost:${port}, or stop it first. To watch it on the hub page, press Attach there.`,
    ].join('\n');
  }
  const who = holder ? `${holder} is running there` : process ? `it is held by ${process}` : 'another program is listening on it';
  return [`Port ${port} is busy: ${who}.`, `${service} listens on ${port}: stop that first, or ${other}.`].join('\n');
}

/** Resolves when `port` is free; else throws a PortBusyError naming what holds it. */
export async function claimPort(service: string, port: number, ownPort = port): Promise<void> {
  if (!(await isFree(port))) throw new PortBusyError(service, port, await portHolder(port), ownPort);
}
