import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface Engine {
  /** Connection string clients use. */
  url: string;
  /** What was chosen, for the "using …" line printed at start. */
  description: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A child started here must not outlive us, even when we exit without calling stop().
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns a long-running process and resolves once a line of its output matches `ready`.
 * Rejects with the output seen so far when it exits first or `timeoutMs` passes.
 */
export function spawnUntilReady(
  command: string,
  args: string[],
  ready: RegExp,
  { timeoutMs = 60_000, ...options }: SpawnOptions & { timeoutMs?: number } = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let output = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${why}.\n${output.trim()}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    // Keep reading after ready too, so a chatty child never blocks on a full pipe.
    const onData = (chunk: Buffer) => {
      if (settled) return;
      output += chunk.toString();
      const match = output.match(ready);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise({ child, match });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`));
  });
}

/** Ends a child started by spawnUntilReady and waits for it to be gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Asks the OS for a free TCP port on loopback (for programs that cannot bind port 0 themselves). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when `command` can be found on the PATH of `env` (default: this process's). */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((done) => {
    const probe = spawn(command, ['--version'], { stdio: 'ignore', env });
    probe.once('error', () => done(false));
    probe.once('exit', () => done(true));
  });
}

/**
 * Resolves when a TCP connection to host:port opens within `timeoutMs`: asked before a download
 * that would otherwise fail slowly where the host cannot be reached.
 */
export function reachable(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const give = (error?: Error) => {
      socket.destroy();
      if (error) fail(new Error(`no binary cached and ${host} cannot be reached (${error.message})`));
      else done();
    };
    socket.once('connect', () => give());
    socket.once('timeout', () => give(new Error(`no answer in ${timeoutMs} ms`)));
    socket.once('error', give);
  });
}
