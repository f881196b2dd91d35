// The guarantee board: each README's "## Guarantees" table, matched against a Jest run.
//
// A row reads `| guarantee | proof |`. In the proof, a backticked path (`test/crud.test.ts`)
// names a test file and a quoted text ("200 concurrent …" or “…”) names a test: the start of its
// title, or of its full name. `…` and Jest's table placeholders (%s, %d, …) stand for any text.
// A quoted text belongs to the path written before it; a path with no quoted text after it means
// every test in that file.

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
  for (const [, path, straight, curly] of proof.matchAll(/`([^`]+)`|"([^"]+)"|“([^”]+)”/g)) {
    if (path !== undefined) {
      if (!/\.test\.[cm]?[jt]s$/.test(path)) continue; // a collection or a field name, not a test file
      flush();
      file = path;
      named = false;
    } else {
      proofs.push({ file, name: straight ?? curly });
      named = true;
    }
  }
  flush();
  return proofs;
}

/**
 * "200 concurrent decrements …" → a pattern for the start of a name: `…` and %s match anything,
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
  return new RegExp(`^${escaped.join('.*?')}`, 'i');
}

const plain = (text: string) => text.replace(/[‘’]/g, "'");

/** Every way a test can be named: its title, and its full name from each enclosing describe. */
function namesOf(test: TestOutcome): string[] {
  const path = [...test.ancestors, test.title];
  return [test.fullName, ...path.map((_, index) => path.slice(index).join(' '))].map(plain);
}

export function testsFor(row: Guarantee, tests: TestOutcome[]): TestOutcome[] {
  return tests.filter((test) =>
    row.proofs.some(({ file, name }) => {
      if (file && test.file !== file.replace(/^\.\//, '')) return false;
      return name === undefined || namesOf(test).some((candidate) => namePattern(name).test(candidate));
    }),
  );
}

/** Green when every test a row cites passed, red when one failed, grey when none ran. */
export function board(rows: Guarantee[], tests: TestOutcome[] | undefined): BoardRow[] {
  return rows.map((row) => {
    const matched = tests ? testsFor(row, tests).filter(({ status }) => status === 'passed' || status === 'failed') : [];
    const status: RowStatus =
      matched.length === 0 ? 'not-run' : matched.some(({ status: outcome }) => outcome === 'failed') ? 'failed' : 'passed';
    return { ...row, status, tests: matched.map(({ file, fullName, status: outcome }) => ({ file, fullName, status: outcome })) };
  });
}

interface JestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  startTime: number;
  testResults: Array<{
    name: string;
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
    .flatMap((file) =>
      file.assertionResults.map((test) => ({
        file: file.name.slice(prefix.length),
        title: test.title,
        fullName: test.fullName,
        ancestors: test.ancestorTitles,
        status: test.status,
      })),
    );
  return {
    name,
    ranAt: new Date(report.startTime).toISOString(),
    success: report.success,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    tests,
  };
}
