// `pnpm new level-0N/<name>`: a new service in the shape every service shares
// (docs/service-anatomy.md), copied from shared/dev/template with its placeholders filled in.
// It needs no network: the template is in the repository, and `pnpm install` links the rest.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CATALOGUE, packageNameOf } from './catalogue.ts';
import { nextServicePort } from './ports.ts';
import { builtProjects } from './projects.ts';

/** A name or a target this command refuses, with a message for the person who typed it. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export const TEMPLATE_DIR = resolve(import.meta.dirname, '../template');
const REPO_ROOT = resolve(import.meta.dirname, '../../..');

// A package name is the service's folder under projects/: level-01 … level-07, then a kebab-case name.
const NAME = /^level-0([1-7])\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;
const MAX_SLUG_LENGTH = 40;
const PLACEHOLDER = /__[A-Z][A-Z_]*__/g;

export interface ServiceName {
  /** level-04/file-upload */
  packageName: string;
  level: number;
  /** file-upload */
  slug: string;
}

/** Checks `name` is `level-0N/kebab-name` with N from 1 to 7, and nothing else (no paths, no tricks). */
export function parseServiceName(name: string): ServiceName {
  const match = NAME.exec(name);
  if (!match) {
    throw new ScaffoldError(
      `"${name}" is not a service name. Use level-0N/<name>: a level from 01 to 07, then lower-case words joined by hyphens (level-04/file-upload).`,
    );
  }
  const [, level = '', slug = ''] = match;
  if (slug.length > MAX_SLUG_LENGTH)
    throw new ScaffoldError(`"${slug}" is longer than ${MAX_SLUG_LENGTH} characters; pick a shorter name.`);
  return { packageName: name, level: Number(level), slug };
}

export interface ScaffoldOptions {
  /** The repository to create it in (default: this one). Tests point it at a folder of their own. */
  root?: string;
  template?: string;
}

export interface Scaffolded extends ServiceName {
  /** The new service's folder. */
  dir: string;
  /** Every file written, relative to `dir`, sorted. */
  files: string[];
  /** The catalogue's guarantee for this name, when it has one. */
  guarantee: string | undefined;
  /** Its own port: the next one free in its level (docs/service-anatomy.md). */
  port: number;
  /** Something worth telling the user that did not stop the command. */
  notes: string[];
}

/**
 * Creates projects/level-0N/<name> from the template. Everything is rendered before anything is
 * written; a folder that already exists is refused, and a failed write leaves nothing behind.
 */
export function scaffold(name: string, { root = REPO_ROOT, template = TEMPLATE_DIR }: ScaffoldOptions = {}): Scaffolded {
  const service = parseServiceName(name);
  const projects = resolve(root, 'projects');
  const dir = resolve(projects, service.packageName);
  if (!dir.startsWith(projects + sep)) throw new ScaffoldError(`${name} would be created outside ${projects}.`);
  if (existsSync(dir)) throw new ScaffoldError(`${relative(root, dir)} already exists: pick another name, or delete the folder first.`);

  const entry = CATALOGUE.find((candidate) => packageNameOf(candidate) === service.packageName);
  const notes: string[] = [];
  const elsewhere = CATALOGUE.find((candidate) => candidate.slug === service.slug && candidate !== entry);
  if (!entry && elsewhere) notes.push(`The catalogue has ${service.slug} at ${packageNameOf(elsewhere)}, not at ${service.packageName}.`);
  if (!entry && !elsewhere)
    notes.push(`${service.packageName} is not in the catalogue (shared/dev/src/catalogue.ts): add it there to list it in pnpm dev.`);

  const port = nextServicePort(
    service.level,
    builtProjects(root).map((project) => project.port),
  );
  const values: Record<string, string> = {
    __PORT__: String(port),
    __PACKAGE_NAME__: service.packageName,
    __SERVICE__: service.slug,
    __DATABASE__: service.packageName.replace('/', '-'),
    __GUARANTEE__: entry?.guarantee ?? 'TODO: the one guarantee this service teaches',
    __DESCRIPTION__: entry ? `${entry.guarantee}.` : 'TODO: one sentence on what this service does.',
  };
  const rendered = filesOf(template).map((file) => {
    const json = file.endsWith('.json');
    const source = readFileSync(join(template, file), 'utf8');
    // In JSON, "port": "__PORT__" becomes a number: the template itself stays valid JSON.
    const text = json ? source.replaceAll('"__PORT__"', String(port)) : source;
    return { path: fill(file, values, (value) => value), text: fill(text, values, json ? inJsonString : (value) => value) };
  });
  const leftover = rendered.flatMap(({ path, text }) =>
    [...`${path}\n${text}`.matchAll(PLACEHOLDER)].map(([token]) => `${token} in ${path}`),
  );
  if (leftover.length > 0) throw new Error(`The template has placeholders new.ts does not fill: ${[...new Set(leftover)].join(', ')}`);

  mkdirSync(dirname(dir), { recursive: true });
  // A level folder that is a symlink could send the files anywhere: it must resolve inside projects/.
  const realProjects = realpathSync(projects);
  if (!realpathSync(dirname(dir)).startsWith(realProjects + sep))
    throw new ScaffoldError(`${relative(root, dirname(dir))} resolves outside ${projects}.`);
  mkdirSync(dir); // not recursive: fails if the folder appeared meanwhile
  try {
    for (const { path, text } of rendered) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text, { flag: 'wx' });
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { ...service, dir, files: rendered.map(({ path }) => path).sort(), guarantee: entry?.guarantee, port, notes };
}

/** Every file under `dir`, relative to it, with `/` separators. */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesOf(dir, path) : [path];
  });
}

function fill(text: string, values: Record<string, string>, escape: (value: string) => string): string {
  return text.replace(PLACEHOLDER, (token) => (token in values ? escape(values[token] ?? '') : token));
}

const inJsonString = (value: string) => JSON.stringify(value).slice(1, -1);

/** The files as an indented tree: folders first, then files, each level sorted. */
export function treeOf(files: string[]): string[] {
  const lines: string[] = [];
  const walk = (paths: string[], depth: number) => {
    const folders = [...new Set(paths.filter((path) => path.includes('/')).map((path) => path.split('/')[0] ?? ''))].sort();
    for (const folder of folders) {
      lines.push(`${'  '.repeat(depth)}${folder}/`);
      walk(
        paths.filter((path) => path.startsWith(`${folder}/`)).map((path) => path.slice(folder.length + 1)),
        depth + 1,
      );
    }
    for (const file of paths.filter((path) => !path.includes('/')).sort()) lines.push(`${'  '.repeat(depth)}${file}`);
  };
  walk(files, 0);
  return lines;
}

const USAGE = 'Usage: pnpm new level-0N/<name>   (for example: pnpm new level-04/file-upload)';

export function main(args: string[], { log = console.log, error = console.error } = {}): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (problem) {
    error(`${(problem as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    error(USAGE);
    return 2;
  }
  const root = values.root === undefined ? REPO_ROOT : isAbsolute(values.root) ? values.root : resolve(values.root);
  try {
    const made = scaffold(positionals[0] ?? '', { root });
    const where = relative(root, made.dir);
    log(`Created ${where} (${made.packageName}): one example resource, items, in the shape of docs/service-anatomy.md.\n`);
    for (const line of treeOf(made.files)) log(`  ${line}`);
    for (const note of made.notes) log(`\nNote: ${note}`);
    const next: Array<[string, string]> = [
      ['pnpm install', `links ${made.packageName} into the workspace`],
      [`pnpm --filter ${made.packageName} test`, 'its suite: crud, bad-input, config, contract, postman'],
      [`pnpm dev --filter ${made.packageName}`, `runs it on its own port, ${made.port}; Swagger UI at /docs`],
    ];
    const width = Math.max(...next.map(([command]) => command.length)) + 2;
    log(['', 'Next:', ...next.map(([command, why]) => `  ${command.padEnd(width)}# ${why}`)].join('\n'));
    log(
      [
        '',
        "Then make it yours: rename items to the service's own resource, write its guarantees into",
        `${where}/README.md with the test that proves each, and mark it built (✓) in the root README.`,
      ].join('\n'),
    );
    return 0;
  } catch (problem) {
    if (!(problem instanceof ScaffoldError)) throw problem;
    error(problem.message);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
