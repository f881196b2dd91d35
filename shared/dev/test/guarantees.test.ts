import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { board, parseGuarantees, readJestReport, uncitedFailures, verdict, type TestOutcome } from '../src/hub/guarantees.ts';
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
    outcome('test/a.test.ts', 'first'),
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

  test('a name matches the whole title, or the whole name from any describe block inward; never a part of one', () => {
    const nested = [
      outcome('test/concurrency.test.ts', 'counters under load 200 concurrent increments add 200', 'passed', ['counters', 'under load']),
    ];
    const table = parseGuarantees(`## Guarantees\n| g | p |\n|-|-|\n| x | \`test/a.test.ts\`: "answers 200" |\n`);
    const names = (tests: TestOutcome[]) => board(table, tests)[0]?.tests.map(({ fullName }) => fullName);

    expect(board(rows, nested)[0]?.status).toBe('passed');
    expect(board(rows, [outcome('test/concurrency.test.ts', 'not 200 concurrent increments')])[0]?.status).toBe('not-run');
    expect(
      names([
        outcome('test/a.test.ts', 'answers 200'),
        outcome('test/a.test.ts', 'GET /health answers 200', 'passed', ['GET /health']),
        outcome('test/a.test.ts', 'answers 200 with a body'),
        outcome('test/a.test.ts', 'answers 2000'),
        outcome('test/a.test.ts', 'Answers 200'),
      ]),
    ).toEqual(['answers 200', 'GET /health answers 200']);
  });

  test("a quoted name with the README's backslash escapes matches the test it names", () => {
    // As written in level-03/jwt-auth's README: the quotes inside the name are escaped for markdown.
    const table = parseGuarantees(
      '## Guarantees\n| g | p |\n|-|-|\n| `{"password":{"$gt":""}}` → 400 | `test/login.test.ts`: "when password is {\\"$gt\\": \\"\\"}, answers 400 naming password" |\n',
    );
    const name = 'when password is {"$gt": ""}, answers 400 naming password';

    expect(table[0]?.proofs).toEqual([{ file: 'test/login.test.ts', name }]);
    expect(board(table, [outcome('test/login.test.ts', `POST /auth/login ${name}`, 'passed', ['POST /auth/login'])])[0]).toMatchObject({
      status: 'passed',
      missing: [],
    });
  });

  test("`describe('POST /auth/logout')` lights the tests of that block only, named by its title or its path", () => {
    const table = parseGuarantees(
      "## Guarantees\n| g | p |\n|-|-|\n| Logout revokes the family | `test/refresh.test.ts`: `describe('POST /auth/logout')` |\n",
    );
    const tests = [
      outcome('test/refresh.test.ts', 'POST /auth/refresh trades a token for a new pair', 'passed', ['POST /auth/refresh']),
      outcome('test/refresh.test.ts', 'POST /auth/logout revokes the family; answers 204', 'passed', ['POST /auth/logout']),
      outcome('test/refresh.test.ts', 'auth POST /auth/logout leaves other logins alone', 'passed', ['auth', 'POST /auth/logout']),
      outcome('test/refresh.test.ts', 'POST /auth/logout-all revokes every family', 'failed', ['POST /auth/logout-all']),
      outcome('test/refresh.test.ts', 'POST /auth/logout with a bad token answers 400', 'passed', ['POST /auth/logout with a bad token']),
    ];
    const [lit] = board(table, tests);

    expect(table[0]?.proofs).toEqual([{ file: 'test/refresh.test.ts', name: 'POST /auth/logout' }]);
    expect(lit?.tests.map(({ fullName }) => fullName)).toEqual([
      'POST /auth/logout revokes the family; answers 204',
      'auth POST /auth/logout leaves other logins alone',
    ]);
    expect(lit?.status).toBe('passed');
  });

  test('a row with a citation no test of the run answers to is not green, and says which', () => {
    const table = parseGuarantees('## Guarantees\n| g | p |\n|-|-|\n| x | `test/a.test.ts`: "first", "renamed since" |\n');
    const [lit] = board(table, [outcome('test/a.test.ts', 'first')]);

    expect(lit).toMatchObject({ status: 'not-run', missing: ['renamed since'] });
    expect(board(table, undefined)[0]?.missing).toEqual([]);
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

describe('a run with a failure no row cites', () => {
  // A Jest --json report as the hub reads it, with a deliberately failing test that no row of
  // the README names, and a file that failed to load.
  const dir = '/repo/projects/level-01/counter';
  const report = {
    success: false,
    numPassedTests: 2,
    numFailedTests: 1,
    startTime: 0,
    testResults: [
      {
        name: `${dir}/test/concurrency.test.ts`,
        status: 'passed',
        message: '',
        assertionResults: [
          {
            title: '200 concurrent increments add exactly 200',
            fullName: '200 concurrent increments add exactly 200',
            ancestorTitles: [],
            status: 'passed',
          },
        ],
      },
      {
        name: `${dir}/test/mine.test.ts`,
        status: 'failed',
        message: 'expect(received).toBe(expected)',
        assertionResults: [
          { title: 'my own guarantee', fullName: 'mine my own guarantee', ancestorTitles: ['mine'], status: 'failed' },
          { title: 'my other test', fullName: 'mine my other test', ancestorTitles: ['mine'], status: 'passed' },
        ],
      },
      {
        name: `${dir}/test/broken.test.ts`,
        status: 'failed',
        message: '  \u001b[1m● \u001b[22mTest suite failed to run\n\n    SyntaxError: Unexpected token (3:4)\n\n      at x.ts:3:4',
        assertionResults: [],
      },
    ],
  };
  const run = readJestReport('level-01/counter', report, dir);
  const rows = parseGuarantees(
    '## Guarantees\n| g | p |\n|-|-|\n| No lost updates | `test/concurrency.test.ts`: "200 concurrent increments …" |\n',
  );

  test('every row can be green while the run failed: the failures are listed on their own, and the verdict is red', () => {
    const lit = board(rows, run.tests);

    expect(lit.map(({ status }) => status)).toEqual(['passed']);
    expect(uncitedFailures(rows, run.tests)).toEqual([
      { file: 'test/mine.test.ts', fullName: 'mine my own guarantee', status: 'failed' },
      {
        file: 'test/broken.test.ts',
        fullName: 'the file failed outside its tests: Test suite failed to run: SyntaxError: Unexpected token (3:4)',
        status: 'failed',
      },
    ]);
    expect(verdict(run, lit)).toBe('failed');
  });

  test('a new row citing the learner’s own test puts it on the board, in red while it fails', () => {
    const own = parseGuarantees(
      '## Guarantees\n| g | p |\n|-|-|\n| Mine | `test/mine.test.ts`: "my own guarantee" |\n| Loads | `test/broken.test.ts` |\n',
    );

    expect(board(own, run.tests).map(({ status }) => status)).toEqual(['failed', 'failed']);
    expect(uncitedFailures(own, run.tests)).toEqual([]);
  });

  test('the verdict is red whenever the run failed, even with no failing test to show; grey before a run', () => {
    const green = board(rows, run.tests.slice(0, 1));

    expect(verdict({ success: true, failed: 0 }, green)).toBe('passed');
    expect(verdict({ success: false, failed: 0 }, green)).toBe('failed');
    expect(verdict({ success: true, failed: 1 }, green)).toBe('failed');
    expect(verdict(null, board(rows, undefined))).toBe('not-run');
  });
});
