#!/usr/bin/env node
// Prints the workspace packages that have a `test` script, as the JSON list the GitHub
// Actions test matrix is built from: [{"name":"level-01/counter","dir":"projects/level-01/counter"}, …].
// Reads the globs of pnpm-workspace.yaml, so a new project joins CI by existing.
import { globSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const workspace = readFileSync(resolve(root, 'pnpm-workspace.yaml'), 'utf8');
// The indented list under `packages:`, up to the next top-level key.
const block = workspace.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
const globs = [...block.matchAll(/^\s+-\s+["']?([^"'\s#]+)["']?/gm)].map(([, glob]) => glob).filter((glob) => glob !== undefined);
if (globs.length === 0) throw new Error('pnpm-workspace.yaml lists no packages');

const packages = globSync(
  globs.map((glob) => `${glob}/package.json`),
  { cwd: root },
)
  .sort()
  .map((file) => ({ file, pkg: JSON.parse(readFileSync(resolve(root, file), 'utf8')) }))
  .filter(({ pkg }) => typeof pkg.scripts?.test === 'string')
  .map(({ file, pkg }) => ({ name: pkg.name, dir: dirname(file) }));

console.log(JSON.stringify(packages));
