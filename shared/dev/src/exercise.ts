// `pnpm exercise`: the exercises at the end of every service README, each checked by a test
// (see docs/service-anatomy.md, "Exercises a learner can check").
//
//   pnpm exercise                                 every exercise, ✓ done or ✗ not yet
//   pnpm exercise level-01/counter                that service's
//   pnpm exercise level-01/counter 1              one, with Jest's output and the README's hint when it fails
//   pnpm exercise level-01/counter 1 --solution   the reference patch and how to apply it
//   pnpm exercise --check                         every check is honest: it fails as shipped, passes when solved
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '@hub/engines';
import { builtProjects, findProject, LaunchError, type Project } from './projects.ts';

export interface Exercise {
  project: Project;
  number: number;
  title: string;
  /** The check, relative to the service folder: exercises/<n>-<slug>.test.ts. */
  test: string;
  /** The reference solution, relative to the service folder: exercises/solutions/<n>.patch. */
  solution: string;
  hint?: string;
}

/** Item `n.` of a README's `## Exercises` list, up to `More, without a check:` (those have no test). */
export function parseExercises(readme: string): Array<Pick<Exercise, 'number' | 'title' | 'test' | 'hint'>> {
  const section = /^## Exercises\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  const checked = section.split(/^More, without a check:/m)[0] ?? '';
  const items = checked.split(/^(?=\d+\.\s)/m).filter((item) => /^\d+\.\s/.test(item));
  return items.flatMap((item) => {
    const test = /\]\((exercises\/\d+-[\w-]+\.test\.ts)\)/.exec(item)?.[1];
    if (!test) return [];
    const text = item.replace(/\s+/g, ' ').trim();
    const title = /^\d+\.\s+\*\*(.+?)\*\*/.exec(text)?.[1]?.replace(/[.:]$/, '') ?? text.slice(0, 60);
    const hint = /\bHint:\s*(.+)$/.exec(text)?.[1];
    return [{ number: Number(/^(\d+)\./.exec(text)?.[1]), title, test, ...(hint ? { hint } : {}) }];
  });
}

/** A service's exercises, from its README, with their solutions' paths. */
export function exercisesOf(project: Project): Exercise[] {
  const readme = resolve(project.dir, 'README.md');
  if (!existsSync(readme)) return [];
  return parseExercises(readFileSync(readme, 'utf8')).map((exercise) => ({
    ...exercise,
    project,
    solution: `exercises/solutions/${exercise.number}.patch`,
  }));
}

/**
 * What is wrong with a service's exercises as files: a README item whose test or solution is
 * missing, a test file no README item names, a patch reaching outside the service folder or
 * into its exercises.
 */
export function problemsOf(project: Project, exercises: Exercise[]): string[] {
  const problems: string[] = [];
  const named = new Set(exercises.map(({ test }) => test));
  const folder = resolve(project.dir, 'exercises');
  const files = existsSync(folder) ? readdirSync(folder).filter((file) => file.endsWith('.test.ts')) : [];
  for (const file of files)
    if (!named.has(`exercises/${file}`)) problems.push(`exercises/${file} is not linked from the README's exercises`);
  for (const exercise of exercises) {
    const where = `exercise ${exercise.number}`;
    if (!existsSync(resolve(project.dir, exercise.test))) problems.push(`${where}: ${exercise.test} does not exist`);
    const patch = resolve(project.dir, exercise.solution);
    if (!existsSync(patch)) {
      problems.push(`${where}: ${exercise.solution} does not exist`);
      continue;
    }
    for (const path of patchedPaths(readFileSync(patch, 'utf8'))) {
      if (path.startsWith('/') || path.split('/').includes('..'))
        problems.push(`${where}: the solution reaches outside the service folder (${path})`);
      else if (path.startsWith('exercises/')) problems.push(`${where}: the solution changes the exercises themselves (${path})`);
    }
  }
  return problems;
}

/** Every path a patch reads or writes (`--- a/x`, `+++ b/x`, renames), without the a/ b/ prefix. */
export function patchedPaths(patch: string): string[] {
  const paths = new Set<string>();
  for (const line of patch.split('\n')) {
    const file = /^(?:---|\+\+\+) (?:[ab]\/)?(.+?)\s*$/.exec(line)?.[1] ?? /^rename (?:from|to) (.+)$/.exec(line)?.[1];
    if (file && file !== '/dev/null') paths.add(file);
  }
  return [...paths];
}

interface JestFile {
  name: string;
  message: string;
  assertionResults: Array<{ status: string }>;
}

/** One exercise's check as run: passed, failed by an assertion, or did not run at all (an error loading it). */
export type CheckState = 'passed' | 'failed' | 'broken';

/**
 * Runs checks in one Jest run (engines started once): each entry is a service folder (the
 * work tree's, or a temporary copy) and the check files in it. Resolves with each file's state.
 */
export async function runChecks(
  runs: Array<{ dir: string; name: string; tests: string[] }>,
  { output = false, env = process.env }: { output?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Map<string, CheckState>> {
  const scratch = mkdtempSync(join(tmpdir(), 'hub-exercise-run-'));
  try {
    const preset = pathToFileURL(resolve(repoRoot, 'shared/testkit/jest-preset.js')).href;
    const projects = runs.map(
      ({ dir, name, tests }, index) =>
        `{ ...jestConfig(${JSON.stringify(dir)}), displayName: ${JSON.stringify(`${name} #${index + 1}`)}, testMatch: ${JSON.stringify(tests.map((test) => resolve(dir, test)))} }`,
    );
    const config = join(scratch, 'jest.config.js');
    writeFileSync(
      config,
      `import { jestConfig, MAX_WORKERS, TEST_TIMEOUT_MS, WORKER_IDLE_MEMORY_LIMIT } from ${JSON.stringify(preset)};
process.env.HUB_JEST_ROOT = '1';
export default { testTimeout: TEST_TIMEOUT_MS, maxWorkers: MAX_WORKERS, workerIdleMemoryLimit: WORKER_IDLE_MEMORY_LIMIT, projects: [${projects.join(', ')}] };
`,
    );
    const report = join(scratch, 'report.json');
    const jest = resolve(repoRoot, 'shared/testkit/bin/hub-test.js');
    const args = [jest, '--config', config, '--json', '--outputFile', report, ...(output ? [] : ['--silent'])];
    const { code, stderr } = await run(process.execPath, args, { cwd: repoRoot, env, inherit: output });
    if (!existsSync(report)) throw new LaunchError(`Jest did not run (exit ${code}):\n${stderr}`);
    const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as { testResults: JestFile[] };
    const states = new Map<string, CheckState>();
    for (const file of testResults) {
      const results = file.assertionResults;
      const state = results.some(({ status }) => status === 'failed')
        ? 'failed'
        : results.length > 0 && file.message === ''
          ? 'passed'
          : 'broken';
      states.set(file.name, state);
    }
    return states;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs a command to its end: its exit code and what it wrote to stderr (or, with `inherit`, its output straight to this terminal). */
async function run(
  command: string,
  args: string[],
  { cwd, env = process.env, inherit = false }: { cwd: string; env?: NodeJS.ProcessEnv; inherit?: boolean },
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', inherit ? 'inherit' : 'ignore', inherit ? 'inherit' : 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  return { code, stderr };
}

/** A copy of the service folder with `patch` applied, its node_modules linked to the real one: the work tree is never touched. */
async function solvedCopy(exercise: Exercise, into: string): Promise<string> {
  const dir = join(into, `${exercise.project.name.replace('/', '-')}-${exercise.number}`);
  cpSync(exercise.project.dir, dir, { recursive: true, filter: (source) => !source.includes('/node_modules') });
  symlinkSync(resolve(exercise.project.dir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Outside any repository, git apply is a plain patch tool working in the folder it runs in.
  const { code, stderr } = await run('git', ['apply', resolve(exercise.project.dir, exercise.solution)], { cwd: dir });
  if (code !== 0) throw new LaunchError(`${exercise.project.name} exercise ${exercise.number}: its solution does not apply:\n${stderr}`);
  return dir;
}

const id = (exercise: Exercise) => `${exercise.project.name} ${exercise.number}`;

/**
 * The honesty check: every check fails on the code as shipped, by an assertion, and passes with
 * its solution applied in a temporary copy of its service. Two Jest runs in all.
 */
export async function checkAll(projects: Project[], log: (line: string) => void = console.log): Promise<number> {
  // Each README read once: its exercises serve the file checks, the count and both runs.
  const listed = projects.map((project) => ({ project, exercises: exercisesOf(project) }));
  const exercises = listed.flatMap((entry) => entry.exercises);
  const problems = listed.flatMap(({ project, exercises: own }) => [
    ...problemsOf(project, own).map((problem) => `${project.name}: ${problem}`),
    ...(own.length < 2 ? [`${project.name}: ${own.length} checkable exercises (at least 2)`] : []),
  ]);
  if (exercises.length === 0) {
    for (const problem of problems) log(`✗ ${problem}`);
    return problems.length > 0 ? 1 : 0;
  }
  const shipped = await runChecks(
    listed.map(({ project, exercises: own }) => ({ dir: project.dir, name: project.name, tests: own.map(({ test }) => test) })),
  );
  const copies = mkdtempSync(join(tmpdir(), 'hub-exercise-solved-'));
  try {
    const solvedRuns = [];
    for (const exercise of exercises) {
      try {
        solvedRuns.push({ exercise, dir: await solvedCopy(exercise, copies) });
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    const solved = await runChecks(solvedRuns.map(({ exercise, dir }) => ({ dir, name: exercise.project.name, tests: [exercise.test] })));
    for (const exercise of exercises) {
      const before = shipped.get(resolve(exercise.project.dir, exercise.test));
      const copy = solvedRuns.find((run) => run.exercise === exercise);
      const after = copy && solved.get(resolve(copy.dir, exercise.test));
      const honest = before === 'failed' && after === 'passed';
      if (!honest)
        problems.push(
          `${id(exercise)} (${exercise.title}): ${before === 'failed' ? 'fails as shipped' : `as shipped it ${before === 'passed' ? 'passes' : 'does not run'}`}, ${after === 'passed' ? 'passes solved' : `solved it ${after === 'failed' ? 'fails' : 'does not run'}`}`,
        );
      else log(`✓ ${id(exercise)}  ${exercise.title}: fails as shipped, passes solved`);
    }
  } finally {
    rmSync(copies, { recursive: true, force: true });
  }
  for (const problem of problems) log(`✗ ${problem}`);
  log(
    `${exercises.length} exercises in ${projects.length} services; ${problems.length === 0 ? 'every check is honest' : `${problems.length} problems`}.`,
  );
  return problems.length === 0 ? 0 : 1;
}

export async function main(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const flags = new Set(args.filter((arg) => arg.startsWith('--')));
  const [filter, number] = args.filter((arg) => !arg.startsWith('--'));
  const all = builtProjects();
  const projects = filter ? [findProject(filter, all)] : all;
  if (flags.has('--check')) return checkAll(projects, log);

  const exercises = projects.flatMap(exercisesOf).filter((exercise) => number === undefined || exercise.number === Number(number));
  if (exercises.length === 0) {
    log(number === undefined ? 'No checkable exercises here yet.' : `${projects[0]?.name} has no exercise ${number}.`);
    return 1;
  }
  const one = number !== undefined ? exercises[0] : undefined;
  if (one && flags.has('--solution')) {
    log(readFileSync(resolve(one.project.dir, one.solution), 'utf8'));
    const folder = relative(repoRoot, one.project.dir);
    log(`Apply it (from the repository root): git apply --directory=${folder} ${folder}/${one.solution}`);
    return 0;
  }
  const states = await runChecks(
    projects
      .map((project) => ({
        dir: project.dir,
        name: project.name,
        tests: exercises.filter((e) => e.project === project).map(({ test }) => test),
      }))
      .filter(({ tests }) => tests.length > 0),
    { output: one !== undefined },
  );
  for (const exercise of exercises) {
    const state = states.get(resolve(exercise.project.dir, exercise.test));
    const mark = state === 'passed' ? '✓' : '✗';
    log(`${mark} ${id(exercise)}  ${exercise.title}`);
    if (one && state !== 'passed' && exercise.hint) log(`  Hint: ${exercise.hint}`);
  }
  const done = exercises.filter((exercise) => states.get(resolve(exercise.project.dir, exercise.test)) === 'passed').length;
  log(`${done} of ${exercises.length} done.`);
  return one ? (done === 1 ? 0 : 1) : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exitCode = 1;
  }
}
