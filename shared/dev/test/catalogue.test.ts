import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { repoRoot } from '@hub/engines';
import { CATALOGUE, LEVELS, packageNameOf } from '../src/catalogue.ts';
import { catalogueText } from '../src/cli.ts';
import { builtProjects } from '../src/projects.ts';

/** The rows of the README's catalogue table: [level, service, guarantee, built]. */
function readmeRows(): string[][] {
  const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## The catalogue')).split('\n## ')[0] ?? '';
  return table
    .split('\n')
    .filter((line) => /^\| \d\d /.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('the catalogue', () => {
  test('has thirty services in seven levels, each name unique', () => {
    expect(CATALOGUE).toHaveLength(30);
    expect(new Set(CATALOGUE.map(packageNameOf)).size).toBe(30);
    expect(new Set(CATALOGUE.map(({ level }) => level))).toEqual(new Set(Object.keys(LEVELS).map(Number)));
  });

  test('the README table lists the same services, in the same order, with the same guarantees', () => {
    const rows = readmeRows();

    expect(rows.map(([, service]) => service?.replace(/^\[(.+)\]\(.+\)$/, '$1'))).toEqual(CATALOGUE.map(packageNameOf));
    expect(rows.map(([, , guarantee]) => guarantee)).toEqual(CATALOGUE.map(({ guarantee }) => guarantee));
    expect(rows.map(([level]) => level)).toEqual(CATALOGUE.map(({ level }) => `${String(level).padStart(2, '0')} ${LEVELS[level]}`));
  });

  test('the README marks built exactly the services that exist in the workspace, and links them', () => {
    const built = builtProjects().map(({ name }) => name);
    const rows = readmeRows();

    expect(rows.filter(([, , , mark]) => mark === '✓').map(([, service]) => service)).toEqual(
      built.map((name) => `[${name}](projects/${name})`),
    );
  });

  test('`pnpm dev` prints every service and ticks the built ones', () => {
    const text = catalogueText(new Set(['level-01/counter']));

    expect(text).toContain('30 services in 7 levels, 1 built');
    expect(text).toMatch(/✓ level-01\/counter +No lost updates/);
    expect(text).toMatch(/ {3}level-02\/notes +Other users/);
    expect(text.match(/level-0\d\//g)).toHaveLength(31); // thirty rows and the "Run one" hint
  });
});
