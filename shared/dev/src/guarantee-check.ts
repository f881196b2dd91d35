// `pnpm check:guarantees [report.json]`: every row of every service README's guarantee table is
// proved by tests that ran and passed in a Jest run of the whole repository (the report `pnpm test
// --json` wrote; .ci/run passes its own). A row citing a renamed or misspelt test fails here, in
// CI, instead of staying grey on a learner's hub page.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '@hub/engines';
import { board, parseGuarantees, readJestReport } from './hub/guarantees.ts';
import { builtProjects, type Project } from './projects.ts';

export interface Unproven {
  service: string;
  guarantee: string;
  status: string;
  missing: string[];
}

/** The rows of each project's guarantee table that the run does not prove. */
export function unprovenRows(projects: Project[], report: Parameters<typeof readJestReport>[1]): Unproven[] {
  return projects.flatMap((project) => {
    const readme = resolve(project.dir, 'README.md');
    if (!existsSync(readme)) return [];
    const { tests } = readJestReport(project.name, report, project.dir);
    return board(parseGuarantees(readFileSync(readme, 'utf8')), tests)
      .filter(({ status }) => status !== 'passed')
      .map(({ guarantee, status, missing }) => ({ service: project.name, guarantee, status, missing }));
  });
}

if (import.meta.main) {
  const file = resolve(process.argv[2] ?? resolve(repoRoot, '.hub/ci/jest.json'));
  if (!existsSync(file)) {
    console.error(`No Jest report at ${file}: run pnpm test --json --outputFile=${file} first.`);
    process.exit(2);
  }
  const projects = builtProjects();
  const unproven = unprovenRows(projects, JSON.parse(readFileSync(file, 'utf8')));
  for (const row of unproven) {
    const why = row.missing.length > 0 ? `no test is called ${row.missing.map((name) => `"${name}"`).join(', ')}` : row.status;
    console.log(`✗ ${row.service}: ${row.guarantee}\n    ${why}`);
  }
  console.log(
    unproven.length === 0
      ? `Every guarantee of ${projects.length} services is proved by a passing test.`
      : `${unproven.length} guarantees unproved.`,
  );
  process.exitCode = unproven.length === 0 ? 0 : 1;
}
