import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { repoRoot } from '@hub/engines';
import { nodeVersionProblem, SUPPORTED_NODE } from '@hub/engines/node-version';

// On a Node too old to run .ts files, every command a learner types first (`pnpm install`'s
// preinstall, `pnpm dev`, a project's `pnpm dev`, `pnpm test`) ends in one line that says which
// Node to get, and a non-zero exit, instead of an ERR_UNKNOWN_FILE_EXTENSION stack trace.

const scratch = mkdtempSync(resolve(tmpdir(), 'hub-node-version-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Loaded with --import before the entry: this Node then reports the version in FAKE_NODE_VERSION.
const fakeVersion = resolve(scratch, 'fake-version.mjs');
writeFileSync(fakeVersion, "Object.defineProperty(process.versions, 'node', { value: process.env.FAKE_NODE_VERSION });\n");

const ENTRIES = {
  'the root preinstall': { args: ['shared/engines/node-version.js'], cwd: repoRoot },
  'pnpm dev': { args: ['shared/dev/bin/dev.js', '--filter', 'level-01/counter'], cwd: repoRoot },
  "a project's pnpm dev (hub-dev)": {
    args: [resolve(repoRoot, 'shared/dev/bin/hub-dev.js')],
    cwd: resolve(repoRoot, 'projects/level-01/counter'),
  },
  'pnpm test (hub-test)': { args: ['shared/testkit/bin/hub-test.js', '--selectProjects', 'level-01/counter'], cwd: repoRoot },
};

function run(node: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const { status, stdout, stderr } = spawnSync(node, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status, stdout, stderr };
}

const expectOneLine = ({ status, stdout, stderr }: ReturnType<typeof run>, version: string) => {
  expect({ status, stdout, lines: stderr.trimEnd().split('\n') }).toEqual({ status: 1, stdout: '', lines: [nodeVersionProblem(version)] });
};

describe('which Node versions can run the hub', () => {
  test.each(['20.20.2', '21.7.3', '22.12.0', '22.17.1', '23.0.0', '23.5.0'])('%s cannot (no type stripping by default)', (version) => {
    const problem = nodeVersionProblem(version);
    expect(problem).toContain(`this is Node ${version}`);
    expect(problem).toContain('22.18+, 23.6+ or 24');
    expect(problem).toContain('`nvm install 24`');
    expect(problem).not.toContain('\n');
  });

  test.each(['22.18.0', '22.21.1', '23.6.0', '23.11.1', '24.0.0', '25.2.1', '26.0.0'])('%s can', (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  test('package.json "engines", .ci/run and .nvmrc say the same', () => {
    const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
      scripts: Record<string, string>;
    };
    expect(pkg.engines.node).toBe(SUPPORTED_NODE);
    expect(pkg.scripts.preinstall).toBe('node shared/engines/node-version.js');
    expect(pkg.scripts.dev).toBe('node shared/dev/bin/dev.js');
    expect(readFileSync(resolve(repoRoot, '.ci/run'), 'utf8')).toMatch(/^MIN_NODE=22\.18\.0$/m);
    expect(nodeVersionProblem(`${readFileSync(resolve(repoRoot, '.nvmrc'), 'utf8').trim()}.0.0`)).toBeUndefined();
  });
});

describe('on Node 20, every entry point', () => {
  test.each(Object.entries(ENTRIES))('%s fails in one line and exits 1', (_name, { args, cwd }) => {
    expectOneLine(
      run(process.execPath, ['--import', pathToFileURL(fakeVersion).href, ...args], cwd, { FAKE_NODE_VERSION: '20.20.2' }),
      '20.20.2',
    );
  });

  test('the check passes this Node, so the same entries do run here', () => {
    const { status, stderr } = run(process.execPath, ENTRIES['the root preinstall'].args, repoRoot);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });
});

// A real old Node, when the machine has one (Debian's /usr/bin/node is 20 on the CI image; or set OLD_NODE).
const oldNode = [process.env.OLD_NODE, '/usr/bin/node'].find((candidate) => {
  if (!candidate) return false;
  const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
  return Boolean(version) && nodeVersionProblem(version) !== undefined;
});

(oldNode ? describe : describe.skip)(`on a real old Node (${oldNode ?? 'none found'})`, () => {
  const node = oldNode ?? '';
  const version = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim() ?? '';

  test('the .ts CLI alone fails with the stack trace the entries exist to avoid', () => {
    expect(run(node, ['shared/dev/src/cli.ts'], repoRoot).stderr).toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });

  test.each(Object.entries(ENTRIES))('%s fails in one line and exits 1', (_name, { args, cwd }) => {
    expectOneLine(run(node, args, cwd), version);
  });
});
