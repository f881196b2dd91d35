import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { checkAll, exercisesOf, parseExercises, patchedPaths, problemsOf } from '../src/exercise.ts';
import { readProject } from '../src/projects.ts';

// A service-shaped fixture with three exercises: 1 honest (fails as shipped, its patch makes it
// pass), 2 passing as shipped, 3 not even loading, with a patch that reaches outside its folder.
const fixture = readProject(resolve(import.meta.dirname, 'fixtures/exercises'));
const readme = readFileSync(resolve(fixture.dir, 'README.md'), 'utf8');

describe("a README's exercises", () => {
  test('are the numbered items under ## Exercises that link a check, up to "More, without a check:", each with its hint', () => {
    expect(parseExercises(readme)).toEqual([
      { number: 1, title: 'Exclaim', test: 'exercises/1-exclaim.test.ts', hint: 'look at the template string.' },
      { number: 2, title: 'Already done', test: 'exercises/2-already-done.test.ts' },
      { number: 3, title: 'Broken', test: 'exercises/3-broken.test.ts' },
    ]);
  });

  test('a README without the section has none', () => {
    expect(parseExercises('# A service\n\n## Endpoints\n\n1. [x](exercises/1-a.test.ts)\n')).toEqual([]);
  });
});

describe('the files of the exercises', () => {
  test("a patch's paths are read from its headers, without the a/ and b/ prefixes", () => {
    const patch = readFileSync(resolve(fixture.dir, 'exercises/solutions/3.patch'), 'utf8');

    expect(patchedPaths(patch)).toEqual(['../../outside.ts', 'exercises/3-broken.test.ts']);
  });

  test('a solution reaching outside the service or into its exercises, and a check no README item links, are problems', () => {
    const linkedTwo = exercisesOf(fixture).slice(0, 2);

    expect(problemsOf(fixture, exercisesOf(fixture))).toEqual([
      'exercise 3: the solution reaches outside the service folder (../../outside.ts)',
      'exercise 3: the solution changes the exercises themselves (exercises/3-broken.test.ts)',
    ]);
    expect(problemsOf(fixture, linkedTwo)).toEqual(["exercises/3-broken.test.ts is not linked from the README's exercises"]);
  });
});

describe('pnpm exercise --check', () => {
  test('passes an exercise that fails as shipped and passes solved, and names every other as a problem', async () => {
    const lines: string[] = [];

    const code = await checkAll([fixture], (line) => lines.push(line));

    expect(code).toBe(1);
    expect(lines).toContain('✓ fixture/exercises 1  Exclaim: fails as shipped, passes solved');
    expect(lines).toContain('✗ fixture/exercises 2 (Already done): as shipped it passes, passes solved');
    expect(lines.some((line) => /^✗ fixture\/exercises exercise 3: its solution does not apply/.test(line))).toBe(true);
    expect(lines).toContain('✗ fixture/exercises 3 (Broken): as shipped it does not run, solved it does not run');
    expect(lines.at(-1)).toBe('3 exercises in 1 services; 5 problems.');
  }, 60_000);
});
