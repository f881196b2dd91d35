import { describe, expect, test } from '@jest/globals';
import { unprovenRows } from '../src/guarantee-check.ts';
import { builtProjects } from '../src/projects.ts';

// The CI check on the whole run's report; here on reports written by hand.
const counter = builtProjects().filter(({ name }) => name === 'level-01/counter');
const report = (tests: Array<{ file: string; title: string; status: string }>) => ({
  success: tests.every(({ status }) => status === 'passed'),
  startTime: 0,
  numPassedTests: tests.filter(({ status }) => status === 'passed').length,
  numFailedTests: tests.filter(({ status }) => status === 'failed').length,
  testResults: [...new Set(tests.map(({ file }) => file))].map((file) => ({
    name: `${counter[0]?.dir}/${file}`,
    assertionResults: tests
      .filter((test) => test.file === file)
      .map(({ title, status }) => ({ title, fullName: title, ancestorTitles: [], status })),
  })),
});

describe('pnpm check:guarantees', () => {
  test('a run without the cited tests leaves every row of the table unproved, each naming what it is missing', () => {
    const rows = unprovenRows(counter, report([{ file: 'test/crud.test.ts', title: 'something else', status: 'passed' }]));

    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every(({ service, status }) => service === 'level-01/counter' && status !== 'passed')).toBe(true);
    expect(rows.some(({ missing }) => missing.length > 0)).toBe(true);
  });

  test('a cited test that failed makes its row unproved, and only that row', () => {
    const rows = unprovenRows(
      counter,
      report([{ file: 'test/concurrency.test.ts', title: 'naive read-modify-write loses updates under the same load', status: 'failed' }]),
    );

    expect(rows.find(({ guarantee }) => guarantee.includes('*does* lose updates'))?.status).toBe('failed');
  });
});
