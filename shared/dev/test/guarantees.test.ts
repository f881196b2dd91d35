import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { board, parseGuarantees, type TestOutcome } from '../src/hub/guarantees.ts';
import { builtProjects } from '../src/projects.ts';

const outcome = (file: string, fullName: string, status = 'passed', ancestors: string[] = []): TestOutcome => ({
  file,
  title: fullName.slice(ancestors.join(' ').length).trim(),
  fullName,
  ancestors,
  status,
});

const readme = `# x

## Guarantees, and the tests that prove them

| Guarantee | Proof |
|---|---|
| No lost updates | \`test/concurrency.test.ts\` — "200 concurrent increments …" |
| Two files, one name each | \`test/a.test.ts\` — "first"; \`test/b.test.ts\`: “second …” |
| A whole file, and a collection that is not a test | \`test/bad-input.test.ts\` runs \`postman/x.postman_collection.json\` |
| A table test | \`test/ownership.test.ts\`: "when Bob sends %s for Alice's note …", "… answers 401 problem+json" |

## Next
| not | a guarantee |
`;

describe('reading the guarantees of a README', () => {
  test('takes the rows of the table under "## Guarantees", with the files and names each proof cites', () => {
    const rows = parseGuarantees(readme);

    expect(rows.map(({ guarantee }) => guarantee)).toEqual([
      'No lost updates',
      'Two files, one name each',
      'A whole file, and a collection that is not a test',
      'A table test',
    ]);
    expect(rows.map(({ proofs }) => proofs)).toEqual([
      [{ file: 'test/concurrency.test.ts', name: '200 concurrent increments …' }],
      [
        { file: 'test/a.test.ts', name: 'first' },
        { file: 'test/b.test.ts', name: 'second …' },
      ],
      [{ file: 'test/bad-input.test.ts' }],
      [
        { file: 'test/ownership.test.ts', name: "when Bob sends %s for Alice's note …" },
        { file: 'test/ownership.test.ts', name: '… answers 401 problem+json' },
      ],
    ]);
  });

  test.each(builtProjects().map(({ name, dir }) => [name, dir]))('%s: every row cites at least one test file', (_name, dir) => {
    const rows = parseGuarantees(readFileSync(resolve(dir, 'README.md'), 'utf8'));

    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row.proofs.filter(({ file }) => file?.startsWith('test/'))).not.toHaveLength(0);
  });
});

describe('the guarantee board', () => {
  const rows = parseGuarantees(readme);
  const tests = [
    outcome('test/concurrency.test.ts', '200 concurrent increments of a new counter add exactly 200'),
    outcome('test/concurrency.test.ts', 'naive read-modify-write loses updates', 'failed'),
    outcome('test/a.test.ts', 'first test'),
    outcome('test/b.test.ts', 'second test', 'failed'),
    outcome('test/bad-input.test.ts', 'POST /counters when by is 0 answers 400', 'passed', ['POST /counters']),
    outcome('test/ownership.test.ts', "when Bob sends GET for Alice's note, answers 404"),
    outcome('test/ownership.test.ts', 'without a token GET /notes answers 401 problem+json', 'passed', ['without a token']),
  ];

  test('a row is green when every test it cites passed, red when one failed', () => {
    const statuses = board(rows, tests).map(({ status, tests: matched }) => [status, matched.length]);

    expect(statuses).toEqual([
      ['passed', 1],
      ['failed', 2],
      ['passed', 1],
      ['passed', 2],
    ]);
  });

  test('a row is grey when the suite has not run, or nothing it cites ran', () => {
    expect(board(rows, undefined).map(({ status }) => status)).toEqual(['not-run', 'not-run', 'not-run', 'not-run']);
    expect(board(rows, [outcome('test/other.test.ts', '200 concurrent increments')])[0]?.status).toBe('not-run');
  });

  test('a name matches the start of the title, or of the name under any describe block', () => {
    const nested = [
      outcome('test/concurrency.test.ts', 'counters under load 200 concurrent increments add 200', 'passed', ['counters', 'under load']),
    ];

    expect(board(rows, nested)[0]?.status).toBe('passed');
    expect(board(rows, [outcome('test/concurrency.test.ts', 'not 200 concurrent increments')])[0]?.status).toBe('not-run');
  });

  test("GET/PATCH/DELETE matches each row of a table test, and ' matches ’", () => {
    const rows = parseGuarantees(
      `## Guarantees\n| g | p |\n|-|-|\n| x | \`test/o.test.ts\`: "when Bob sends GET/PATCH/DELETE for Alice's note, answers 404" |\n`,
    );
    const names = ['GET', 'PATCH', 'DELETE', 'POST'].map((method) => `when Bob sends ${method} for Alice’s note, answers 404`);
    const [result] = board(
      rows,
      names.map((name) => outcome('test/o.test.ts', name)),
    );

    expect(result?.tests.map(({ fullName }) => fullName.split(' ')[3])).toEqual(['GET', 'PATCH', 'DELETE']);
  });
});
