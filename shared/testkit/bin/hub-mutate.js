#!/usr/bin/env node
// `pnpm mutate <package> [file…]`: how strong are its tests? StrykerJS changes the package's
// code one small step at a time (a `>` into `>=`, a filter into `{}`, a line removed) and runs
// the tests that cover each change; a change no test notices ("survived") is an assertion
// missing. The configuration is mutation/config.js; reports go to .hub/mutation/<package>/.
import { requireSupportedNode } from '@hub/engines/node-version';

requireSupportedNode();

import { globSync, readFileSync } from 'node:fs';
import { delimiter, dirname, relative, resolve } from 'node:path';
import { enginesNeeded } from '../jest-preset.js';
import { mutationConfig } from '../mutation/config.js';

const root = resolve(import.meta.dirname, '../../..');
const [name, ...files] = process.argv.slice(2).filter((arg) => arg !== '--');

const packages = globSync(['shared/*/package.json', 'projects/*/*/package.json'], { cwd: root }).map((file) => ({
  dir: resolve(root, dirname(file)),
  pkg: JSON.parse(readFileSync(resolve(root, file), 'utf8')),
}));
const target = packages.find(({ pkg }) => pkg.name === name);
if (!target) {
  console.error(`Usage: pnpm mutate <package> [file…], e.g. pnpm mutate level-01/counter src/counters/counters.service.ts`);
  console.error(
    `Packages: ${packages
      .map(({ pkg }) => pkg.name)
      .sort()
      .join(', ')}`,
  );
  process.exit(2);
}

// A package the test kit itself depends on (@hub/core, @hub/engines) is loaded twice from a
// sandbox copy: its tests import ../src from the copy, the test kit imports it from the work
// tree, and two copies of its mongoose models collide (OverwriteModelError). Stryker then
// mutates it in place, restoring every file when it ends, on Ctrl+C too.
const testkit = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8'));
const inPlace = name in testkit.dependencies;

// Only a killed process (kill -9, a crash) leaves mutated files behind, and they look like the
// original to every test (no mutant is active): refuse to start on top of them.
const MARKER = 'stryNS_9fa48';
const leftovers = globSync('src/**/*.ts', { cwd: target.dir }).filter((file) =>
  readFileSync(resolve(target.dir, file), 'utf8').includes(MARKER),
);
if (leftovers.length > 0) {
  const paths = leftovers.map((file) => relative(process.cwd(), resolve(target.dir, file)));
  console.error(`These files still hold Stryker's mutated code from an interrupted run:\n  ${paths.join('\n  ')}`);
  console.error(`Put them back with \`git checkout -- ${paths.join(' ')}\` (or from the backup under .hub/mutation/${name}/tmp).`);
  process.exit(1);
}

process.env.HUB_MUTATE_NEEDS = enginesNeeded(target.pkg).join(',');
// The jest runner loads Jest from the package's folder, where only the test kit has it.
process.env.NODE_PATH = [resolve(import.meta.dirname, '../node_modules'), process.env.NODE_PATH].filter(Boolean).join(delimiter);
process.chdir(target.dir);
const { Stryker } = await import('@stryker-mutator/core');
const config = mutationConfig({ root, name, inPlace, mutate: files });
console.log(`[mutate] ${name}: ${config.mutate.join(' ')}${inPlace ? ' (in place: see git status if interrupted)' : ''}`);
await new Stryker(config).runMutationTest();
