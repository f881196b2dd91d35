// `pnpm check:readmes [service]`: every ```bash block of every built service's README, run top to
// bottom as a learner pastes it, against the service started by `pnpm dev` on embedded engines.
// A README command that does not run as pasted (a variable it never sets, a placeholder, a tool
// the learner may not have, an answer other than the one it promises) fails the check.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot, startMongo, startRedis, type Engine } from '@hub/engines';
import { launch } from './launch.ts';
import { builtProjects, findProject, type Project } from './projects.ts';

/** One command of a README block: its text (continuation lines joined) and what it promises. */
export interface Command {
  /** Line in the README where the command starts (1-based). */
  line: number;
  text: string;
  /** The HTTP status the README says this command's curl answers; undefined: any 2xx or 3xx. */
  expectedStatus?: number;
}

/**
 * The shell commands of a README's curl blocks (```bash blocks that call curl: the ones a learner
 * pastes against the running service), in order. `pnpm dev` (the check has started the service)
 * and `pnpm … test` (the suite, not a request) are left out. A comment whose first word is an
 * HTTP status — at the end of the command (`# 412`) or on the line after it (`# → 401 …`) — is
 * the status that command's curl must answer.
 */
export function readmeCommands(markdown: string): Command[] {
  const blocks: Command[][] = [];
  let block: Command[] | undefined;
  let pending: { line: number; lines: string[] } | undefined;
  for (const [index, raw] of markdown.split('\n').entries()) {
    if (/^```/.test(raw)) {
      block = !block && /^```(bash|sh|shell)\s*$/.test(raw) ? [] : undefined;
      if (block) blocks.push(block);
      continue;
    }
    if (!block) continue;
    const previous = block.at(-1);
    const arrow = /^\s*#\s*→\s*(\d{3})\b/.exec(raw);
    if (!pending && arrow && previous && previous.expectedStatus === undefined) {
      previous.expectedStatus = Number(arrow[1]);
      continue;
    }
    if (!pending && (/^\s*(#|$)/.test(raw) || /^\s*pnpm (dev\b|.*\btest\b)/.test(raw))) continue;
    pending ??= { line: index + 1, lines: [] };
    pending.lines.push(raw);
    if (raw.endsWith('\\')) continue;
    // The trailing comment of the last line, quoted strings (a JSON body, a header) taken out first.
    const unquoted = (pending.lines.at(-1) ?? '').replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
    const status = /\s#\s*→?\s*(\d{3})\b/.exec(unquoted);
    block.push({ line: pending.line, text: pending.lines.join('\n'), ...(status ? { expectedStatus: Number(status[1]) } : {}) });
    pending = undefined;
  }
  return blocks.filter((commands) => commands.some(({ text }) => /(^|[\s($|])curl\s/.test(text))).flat();
}

/** A failed command: where it is in the README, and what went wrong. */
export interface Failure {
  line: number;
  command: string;
  problem: string;
}

/**
 * The bash script that runs `commands` as pasted, stopping at the first that fails: `set -u` (a
 * variable the README never sets is an error, not an empty string) and every curl's status
 * written where the script checks it against the README's promise.
 */
export function scriptFor(commands: Command[]): string {
  const steps = commands.map(({ line, text, expectedStatus }) =>
    [`__hub_line=${line}`, text, `__hub_check $? ${line} ${expectedStatus ?? ''}`].join('\n'),
  );
  return `set -uo pipefail
__hub_statuses=$(mktemp)
# Every curl also writes its HTTP status to stderr, into the file this script reads.
curl() { command curl "$@" --write-out '%{stderr}__hub_status %{http_code}\\n' 2>>"$__hub_statuses"; }
__hub_fail() { printf '__hub_failed %s %s\\n' "$1" "$2" >&2; exit 1; }
__hub_check() {
  local code=$1 line=$2 expected=\${3:-} status
  status=$(sed -n 's/^__hub_status //p' "$__hub_statuses" | tail -n 1)
  : >"$__hub_statuses"
  [ "$code" -eq 0 ] || __hub_fail "$line" "exited with $code"
  [ -z "$status" ] && return 0
  if [ -n "$expected" ]; then
    [ "$status" = "$expected" ] || __hub_fail "$line" "answered $status where the README says $expected"
  else
    case "$status" in 2??|3??) ;; *) __hub_fail "$line" "answered $status (the README promises no error)" ;; esac
  fi
}
trap 'status=$?; [ $status -ne 0 ] && printf "__hub_failed %s %s\\n" "$__hub_line" "stopped (exit $status): see the output above" >&2' EXIT
${steps.join('\n')}
`;
}

/** Runs the script in `cwd`; resolves with the first failure (undefined when every command ran as promised) and the output. */
export function runCommands(
  commands: Command[],
  { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ failure?: Failure; output: string }> {
  const child = spawn('bash', ['-c', scriptFor(commands)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let failedAt: { line: number; problem: string } | undefined;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const failed = /^__hub_failed (\d+) (.*)$/.exec(line);
      if (failed) failedAt ??= { line: Number(failed[1]), problem: failed[2] ?? '' };
      else if (line) output += `${line}\n`;
    }
  });
  return new Promise((done) =>
    child.once('close', (code) => {
      if (code === 0 && !failedAt) return done({ output });
      const at = failedAt ?? { line: commands[0]?.line ?? 0, problem: `bash exited with ${code}` };
      const command = commands.find(({ line }) => line === at.line)?.text ?? '';
      done({ failure: { line: at.line, command, problem: at.problem }, output });
    }),
  );
}

/**
 * Starts `project` as `pnpm dev` would (MongoDB from `env`, a Redis of its own, so one service's
 * rate-limit counters cannot reach the next), runs its README's commands from the repository
 * root, where the learner runs them, then stops it.
 */
export async function checkReadme(project: Project, env: NodeJS.ProcessEnv): Promise<Failure | undefined> {
  const commands = readmeCommands(readFileSync(resolve(project.dir, 'README.md'), 'utf8'));
  if (commands.length === 0) return undefined;
  const ports = new Set(
    [
      ...commands
        .map(({ text }) => text)
        .join('\n')
        .matchAll(/localhost:(\d+)/g),
    ].map((match) => match[1]),
  );
  if (ports.size > 1) return { line: commands[0]?.line ?? 0, command: '', problem: `the README calls ports ${[...ports].join(', ')}` };
  const redis = project.needs.includes('redis') ? await startRedis({ log: () => {} }) : undefined;
  const stop = new AbortController();
  let output = '';
  let signalUp = () => {};
  const up = new Promise<void>((done) => (signalUp = done));
  const running = launch(project, {
    env: {
      ...process.env,
      ...env,
      ...(redis && { REDIS_URL: redis.url }),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: [...ports][0] ?? '3000',
    },
    log: () => {},
    output: (text) => (output += text),
    stop: stop.signal,
    onUp: () => signalUp(),
  }).catch((error: unknown) => {
    output += error instanceof Error ? error.message : String(error);
  });
  await Promise.race([up, running]);
  // Files the commands write where the learner runs them (a cookie jar, a download) are removed after.
  const before = new Set(readdirSync(repoRoot));
  try {
    const { failure, output: said } = await runCommands(commands, { cwd: repoRoot, env: process.env });
    return failure && { ...failure, problem: `${failure.problem}\n${lastLines(said)}\n--- the service said:\n${lastLines(output)}` };
  } finally {
    for (const entry of readdirSync(repoRoot)) if (!before.has(entry)) rmSync(resolve(repoRoot, entry), { recursive: true, force: true });
    stop.abort();
    await running;
    await redis?.stop();
  }
}

const lastLines = (text: string, count = 30): string => text.trimEnd().split('\n').slice(-count).join('\n');

export async function main(args: string[]): Promise<number> {
  const all = builtProjects();
  const projects = args.length > 0 ? args.map((filter) => findProject(filter, all)) : all;
  const engines: Engine[] = [];
  const env: NodeJS.ProcessEnv = {};
  try {
    if (projects.some(({ needs }) => needs.includes('mongo'))) {
      const mongo = await startMongo();
      engines.push(mongo);
      env.MONGO_URL = mongo.url;
    }
    let failed = 0;
    for (const project of projects) {
      const failure = await checkReadme(project, env);
      if (!failure) {
        console.log(`✓ ${project.name}`);
        continue;
      }
      failed += 1;
      console.log(`✗ ${project.name}: README.md line ${failure.line}: ${failure.problem}\n${failure.command}\n`);
    }
    console.log(`${projects.length - failed} of ${projects.length} READMEs run as pasted.`);
    return failed === 0 ? 0 : 1;
  } finally {
    for (const engine of engines.reverse()) await engine.stop();
  }
}

if (import.meta.main && existsSync(repoRoot)) process.exitCode = await main(process.argv.slice(2));
