// The guarantee board: each README's "## Guarantees" table, matched against a Jest run.
//
// A row reads `| guarantee | proof |`. In the proof, a backticked path (`test/crud.test.ts`)
// names a test file, and a quoted text ("200 concurrent …", “…”, or `describe('POST /x')`) names
// tests: exactly, with the README's backslash escapes (\" \|) undone. It names a test when it is
// the test's title, or its full name, or its name from any describe block inward; and it names
// every test of a describe block when it is that block's title, or its path of titles from any
// outer block inward. `…` and Jest's table placeholders (%s, %d, …) stand for any text.
// A quoted text belongs to the path written before it; a path with no quoted text after it means
// every test in that file.
//
// The board is never greener than the run: a row is green only when each of its citations found
// a test that ran and all of them passed; a failing test that no row names, or a test file that
// failed outside its tests (it did not load, a hook threw), is listed on its own, in red.

import { stripVTControlCharacters } from 'node:util';

export interface Guarantee {
  guarantee: string;
  proof: string;
  /** The test files and names the proof cites, in the order it cites them. */
  proofs: Array<{ file?: string; name?: string }>;
}

/** One test of a Jest run, its file relative to the package folder. */
export interface TestOutcome {
  file: string;
  title: string;
  fullName: string;
  /** The describe blocks around it, outermost first. */
  ancestors: string[];
  status: string;
}

export type RowStatus = 'passed' | 'failed' | 'not-run';

export interface BoardRow extends Guarantee {
  status: RowStatus;
  tests: Array<Pick<TestOutcome, 'file' | 'fullName' | 'status'>>;
  /** What the proof cites that no test of the run answers to (a renamed test, a typo): the row cannot be green. */
  missing: string[];
}

/** The rows of the table under the heading that starts with "## Guarantees". */
export function parseGuarantees(readme: string): Guarantee[] {
  const start = readme.search(/^## Guarantees/m);
  if (start < 0) return [];
  const section = readme.slice(start).split(/\n## /)[0] ?? '';
  const table = section.split('\n').filter((line) => line.startsWith('|'));
  const separator = table.findIndex((line) => /^\|[\s|:-]+\|$/.test(line.trim()));
  return table
    .slice(separator + 1) // the header row and the |---| line
    .map(cells)
    .map(([guarantee = '', proof = '']) => ({ guarantee, proof, proofs: proofsOf(proof) }));
}

/** The cells of a table row; a `|` inside backticks or escaped as `\|` stays in its cell. */
function cells(line: string): string[] {
  const found: string[] = [];
  let cell = '';
  let code = false;
  for (let index = 1; index < line.trimEnd().length; index++) {
    const char = line[index];
    if (char === '`') code = !code;
    if (char === '\\' && line[index + 1] === '|') {
      cell += '|';
      index++;
    } else if (char === '|' && !code) {
      found.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  return found;
}

function proofsOf(proof: string): Guarantee['proofs'] {
  const proofs: Guarantee['proofs'] = [];
  let file: string | undefined;
  let named = true; // no file yet, so nothing to add for it
  const flush = () => {
    if (file && !named) proofs.push({ file });
  };
  const cite = (name: string) => {
    proofs.push({ file, name });
    named = true;
  };
  for (const [, code, straight, curly] of proof.matchAll(/`([^`]+)`|"((?:\\.|[^"\\])+)"|“([^”]+)”/g)) {
    if (code !== undefined) {
      // In code the text is as written: `describe('POST /auth/logout')` names that block's tests.
      const block = /^(?:describe|test|it)\((['"])(.+)\1\)$/.exec(code.trim());
      if (block?.[2]) cite(block[2]);
      if (!/\.test\.[cm]?[jt]s$/.test(code)) continue; // a collection or a field name, not a test file
      flush();
      file = code;
      named = false;
    } else cite(unescape(straight ?? curly ?? ''));
  }
  flush();
  return proofs;
}

/** Markdown's backslash escapes undone: `{\"$gt\": \"\"}` is `{"$gt": ""}`, as the test names it. */
const unescape = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/**
 * "200 concurrent decrements …" → a pattern for a whole name: `…` and %s match anything,
 * "GET/PATCH/DELETE" matches any one of them (a table test's rows), and ' matches ’.
 */
function namePattern(name: string): RegExp {
  const parts = plain(name)
    .trim()
    .split(/…|\.\.\.|%[sdifjoOp#%]/);
  const escaped = parts.map((part) =>
    part
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\b[A-Z]{2,}(?:\/[A-Z]{2,})+\b/g, (choices) => `(?:${choices.replaceAll('/', '|')})`),
  );
  return new RegExp(`^${escaped.join('.*?')}$`);
}

const plain = (text: string) => text.replace(/[‘’]/g, "'");

/**
 * Every name that cites a test: its title and its name from each enclosing describe block
 * inward (the outermost gives its full name), and each enclosing block's own names, the same way.
 */
function namesOf(test: TestOutcome): string[] {
  const path = [...test.ancestors, test.title];
  const names = new Set([test.fullName]);
  for (let end = 1; end <= path.length; end++) for (let start = 0; start < end; start++) names.add(path.slice(start, end).join(' '));
  return [...names].map(plain);
}

function cites({ file, name }: Guarantee['proofs'][number], test: TestOutcome): boolean {
  if (file && test.file !== file.replace(/^\.\//, '')) return false;
  if (name === undefined) return true;
  const pattern = namePattern(name);
  return namesOf(test).some((candidate) => pattern.test(candidate));
}

export function testsFor(row: Guarantee, tests: TestOutcome[]): TestOutcome[] {
  return tests.filter((test) => row.proofs.some((proof) => cites(proof, test)));
}

const ran = ({ status }: TestOutcome) => status === 'passed' || status === 'failed';
const brief = ({ file, fullName, status }: TestOutcome) => ({ file, fullName, status });

/**
 * Red when a test the row cites failed; green when every one passed and each citation found a
 * test that ran; grey otherwise (no run yet, or a citation that names no test of the run).
 */
export function board(rows: Guarantee[], tests: TestOutcome[] | undefined): BoardRow[] {
  return rows.map((row) => {
    const matched = tests ? testsFor(row, tests).filter(ran) : [];
    const missing = tests
      ? row.proofs.filter((proof) => !matched.some((test) => cites(proof, test))).map(({ file, name }) => name ?? file ?? '')
      : [];
    const failed = matched.some(({ status: outcome }) => outcome === 'failed');
    const status: RowStatus = failed ? 'failed' : matched.length > 0 && missing.length === 0 ? 'passed' : 'not-run';
    return { ...row, status, tests: matched.map(brief), missing };
  });
}

/** The failures no row cites (a test, or a file that failed outside its tests): shown on their own. */
export function uncitedFailures(rows: Guarantee[], tests: TestOutcome[] | undefined): BoardRow['tests'] {
  const cited = new Set(rows.flatMap((row) => testsFor(row, tests ?? [])));
  return (tests ?? []).filter((test) => test.status === 'failed' && !cited.has(test)).map(brief);
}

/** The board's summary: red whenever the run failed, whatever the rows say; grey before any run. */
export function verdict(run: Pick<TestRun, 'success' | 'failed'> | null | undefined, rows: BoardRow[]): RowStatus {
  if (!run) return 'not-run';
  return run.success && run.failed === 0 && !rows.some(({ status }) => status === 'failed') ? 'passed' : 'failed';
}

interface JestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  startTime: number;
  testResults: Array<{
    name: string;
    status?: string;
    message?: string;
    assertionResults: Array<{ title: string; fullName: string; ancestorTitles: string[]; status: string }>;
  }>;
}

export interface TestRun {
  name: string;
  ranAt: string;
  success: boolean;
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

/** The tests of a Jest `--json` report that belong to the package in `packageDir`. */
export function readJestReport(name: string, report: JestReport, packageDir: string): TestRun {
  const prefix = `${packageDir.replace(/\/$/, '')}/`;
  const tests = report.testResults
    .filter((file) => file.name.startsWith(prefix))
    .flatMap((file): TestOutcome[] => {
      const path = file.name.slice(prefix.length);
      const tests = file.assertionResults.map((test) => ({
        file: path,
        title: test.title,
        fullName: test.fullName,
        ancestors: test.ancestorTitles,
        status: test.status,
      }));
      if (file.status !== 'failed' || tests.some(({ status }) => status === 'failed')) return tests;
      // Failed with no failing test: it did not load, or a hook (beforeAll, afterAll) threw.
      const why = stripVTControlCharacters(file.message ?? '')
        .split('\n')
        .map((line) => line.replace(/^\s*●\s*/, '').trim())
        .filter(Boolean)
        .slice(0, 2)
        .join(': ');
      const title = `the file failed outside its tests${why ? `: ${why.slice(0, 200)}` : ''}`;
      return [...tests, { file: path, title, fullName: title, ancestors: [], status: 'failed' }];
    });
  return {
    name,
    ranAt: new Date(report.startTime).toISOString(),
    success: report.success,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    tests,
  };
}
