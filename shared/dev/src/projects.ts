import { globSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { repoRoot } from '@hub/engines';
import { CATALOGUE, packageNameOf } from './catalogue.ts';

export type Need = 'mongo' | 'redis' | 'smtp';

/** A service that exists in the workspace (projects/level-0N/<slug>). */
export interface Project {
  name: string;
  dir: string;
  /** What it needs running besides itself, from `"hub": { "needs": [...] }` in its package.json. */
  needs: Need[];
  /** Its own port, from `"hub": { "port": 3102 }` (docs/service-anatomy.md); 3000 when it names none. */
  port: number;
}

/** A launch that cannot go ahead, with a message meant for the person who typed the command. */
export class LaunchError extends Error {}

export function readProject(dir: string): Project {
  const pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as { name: string; hub?: { needs?: Need[]; port?: number } };
  return { name: pkg.name, dir, needs: pkg.hub?.needs ?? [], port: pkg.hub?.port ?? 3000 };
}

/** Every service that has been built, in catalogue order. */
export function builtProjects(root = repoRoot): Project[] {
  const order = (name: string) => CATALOGUE.findIndex((entry) => packageNameOf(entry) === name);
  return globSync('projects/*/*/package.json', { cwd: root })
    .map((file) => readProject(resolve(root, dirname(file))))
    .sort((a, b) => order(a.name) - order(b.name));
}

/**
 * The project a `--filter` names: its package name (level-01/counter), its folder
 * (projects/level-01/counter) or, when unambiguous, its bare name (counter).
 */
export function findProject(filter: string, projects: Project[], root = repoRoot): Project {
  const wanted = filter.trim().replace(/\/+$/, '');
  const byName = projects.find(
    ({ name, dir }) => name === wanted || relative(root, dir) === wanted.replace(/^\.\//, '') || name.split('/')[1] === wanted,
  );
  if (byName) return byName;

  const planned = CATALOGUE.map(packageNameOf).find((name) => name === wanted || name.split('/')[1] === wanted);
  if (planned) {
    throw new LaunchError(
      `${planned} is in the catalogue but not built yet. Built so far: ${projects.map(({ name }) => name).join(', ')}.`,
    );
  }
  const close = closeMatches(wanted, CATALOGUE.map(packageNameOf));
  throw new LaunchError(
    [
      `No service is called "${filter}".`,
      close.length > 0 ? `Did you mean ${close.join(' or ')}?` : undefined,
      'Run `pnpm dev` without --filter to see the catalogue.',
    ]
      .filter(Boolean)
      .join(' '),
  );
}

/** Up to three names closest to `typed`, by edit distance on the whole name or on its last part. */
export function closeMatches(typed: string, names: string[]): string[] {
  const needle = typed.toLowerCase();
  const scored = names.map((name) => {
    const slug = name.split('/')[1] ?? name;
    const contains = slug.includes(needle) || needle.includes(slug) ? 0 : Infinity;
    return { name, score: Math.min(contains, editDistance(needle, name), editDistance(needle, slug)) };
  });
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return scored
    .filter(({ score }) => score <= limit)
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map(({ name }) => name);
}

/** Levenshtein distance: insertions, deletions and substitutions needed to turn a into b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
