// `pnpm dev` at the root: with no filter, the catalogue; with `--filter <service>`, that service
// in watch mode on MongoDB/Redis found or started for it (`--reset`: its dev data deleted first).
// A project's own `pnpm dev` (the hub-dev bin) runs the same launch for the package it is called in.
import { pathToFileURL } from 'node:url';
import { CATALOGUE, LEVELS, packageNameOf } from './catalogue.ts';
import { startHub } from './hub/server.ts';
import { launch } from './launch.ts';
import { builtProjects, findProject, LaunchError, readProject } from './projects.ts';

/** The `--filter` value (`--filter x`, `--filter=x`, `-F x`) or a lone positional argument. */
export function filterFrom(args: string[]): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('--filter=')) return arg.slice('--filter='.length);
    if (arg === '--filter' || arg === '-F') return args[index + 1];
  }
  return args.find((arg) => !arg.startsWith('-'));
}

/** `--reset`: start the service with its dev data (database, Redis data, dev secrets) deleted. */
export const RESET = '--reset';

export function catalogueText(built: Set<string>): string {
  const lines = [
    `Backend Hub: ${CATALOGUE.length} services in ${Object.keys(LEVELS).length} levels, ${built.size} built (✓).`,
    'Run one:  pnpm dev --filter level-01/counter',
  ];
  const width = Math.max(...CATALOGUE.map((entry) => packageNameOf(entry).length)) + 2;
  for (const [level, title] of Object.entries(LEVELS)) {
    lines.push('', `Level ${level.padStart(2, '0')}: ${title}`);
    for (const entry of CATALOGUE.filter((candidate) => candidate.level === Number(level))) {
      const name = packageNameOf(entry);
      lines.push(`  ${built.has(name) ? '✓' : ' '} ${name.padEnd(width)}${entry.guarantee}`);
    }
  }
  return lines.join('\n');
}

async function run(start: () => ReturnType<typeof readProject>, args: string[]): Promise<void> {
  try {
    const project = start();
    console.log(`Starting ${project.name}…`);
    // HUB_DEV_DATA: another folder under .hub/ for this run's data (the launcher's own tests use it).
    const code = await launch(project, { dataFolder: process.env.HUB_DEV_DATA, reset: args.includes(RESET) });
    // After Ctrl+C pnpm adds "ELIFECYCLE Command failed" whatever the exit code: this line says how it really ended.
    console.log(
      code === 0 ? `\n${project.name} stopped cleanly, and so did the engines started for it.` : `\n${project.name} exited with ${code}.`,
    );
    process.exitCode = code;
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exitCode = 1;
  }
}

export async function main(args: string[]): Promise<void> {
  const filter = filterFrom(args);
  const projects = builtProjects();
  if (!filter && args.includes(RESET)) {
    console.error(`\n${RESET} resets one service's dev data: pnpm dev --filter <service> ${RESET}\n`);
    process.exitCode = 2;
    return;
  }
  if (!filter) {
    console.log(catalogueText(new Set(projects.map(({ name }) => name))));
    await serveHub();
    return;
  }
  await run(() => findProject(filter, projects), args);
}

/** The hub page, until Ctrl+C; then every service started from it is stopped, and so are their engines. */
async function serveHub(): Promise<void> {
  const hub = await startHub({ dataFolder: process.env.HUB_DEV_DATA });
  console.log(`\nHub page: ${hub.url}  (start services and watch their requests there; Ctrl+C stops it all)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log('\nStopping the hub and the services it started…');
      void hub.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.exitCode = 0;
}

/** For the hub-dev bin: launch the service whose folder we are in. */
export async function launchFromPackageDir(dir: string, args: string[] = []): Promise<void> {
  await run(() => readProject(dir), args);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
