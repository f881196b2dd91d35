import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  globSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { board, parseGuarantees, readJestReport } from '../src/hub/guarantees.ts';
import { main, parseServiceName, scaffold, ScaffoldError } from '../src/new.ts';

// `pnpm new` writes into a repository of this test's own, in the temporary folder: the real one
// is never touched. Its node_modules links to the packages this repository has installed, so
// the new service resolves @hub/core, mongoose, zod… exactly as it will after `pnpm install`.
const repo = resolve(import.meta.dirname, '../../..');
const newTs = resolve(repo, 'shared/dev/src/new.ts');
let root: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'hub-new-')));
  copyFileSync(resolve(repo, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EXPECTED_FILES = [
  '.env.example',
  'README.md',
  'jest.config.js',
  'package.json',
  'postman/file-upload.local.postman_environment.json',
  'postman/file-upload.postman_collection.json',
  'src/app.ts',
  'src/config.ts',
  'src/items/item.model.ts',
  'src/items/items.routes.ts',
  'src/items/items.schemas.ts',
  'src/items/items.service.ts',
  'src/permissions.ts',
  'src/server.ts',
  'test/bad-input.test.ts',
  'test/config.test.ts',
  'test/contract.test.ts',
  'test/crud.test.ts',
  'test/postman.test.ts',
  'test/support.ts',
  'tsconfig.json',
];

/** Every file under `dir`, relative to it, sorted; symlinks (the linked node_modules) are not followed. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return filesUnder(dir, path);
      return entry.isFile() ? [path] : [];
    })
    .sort();
}

/** The installed copy of a dependency: a workspace package's folder, or the copy a workspace package already links. */
function installed(name: string): string {
  const workspace = globSync(['shared/*/package.json', 'projects/*/*/package.json'], { cwd: repo }).find(
    (file) => (JSON.parse(readFileSync(resolve(repo, file), 'utf8')) as { name: string }).name === name,
  );
  if (workspace) return resolve(repo, dirname(workspace));
  const linked = ['.', 'shared/core', 'shared/testkit', ...globSync(['shared/*', 'projects/*/*'], { cwd: repo })]
    .map((dir) => resolve(repo, dir, 'node_modules', name))
    .find((path) => existsSync(path));
  if (!linked) throw new Error(`${name} is installed by no workspace package: run pnpm install`);
  return realpathSync(linked);
}

/** What `pnpm install` would do for the new package: node_modules/<dependency> → the installed copy. */
function linkDependencies(dir: string): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
    'dependencies' | 'devDependencies',
    Record<string, string>
  >;
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(installed(name), link, 'dir');
  }
}

const children = new Set<ChildProcess>();
afterAll(() => {
  // Only when the test timed out: a child still running is stopped, not left behind.
  for (const child of children) child.kill('SIGKILL');
});

/** Runs a command to its end; resolves with its exit code and everything it printed. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  // Inherits MONGO_URL and REDIS_URL from this run's engines, so the child run starts none of its own.
  const { JEST_WORKER_ID: _worker, ...env } = process.env;
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) =>
    child.once('close', (code) => {
      children.delete(child);
      done({ code, output });
    }),
  );
}

describe('pnpm new level-04/file-upload', () => {
  test('creates the service in the shape, and its own suite passes: crud, bad-input, config, contract and Postman', async () => {
    const cli = spawnSync(process.execPath, [newTs, 'level-04/file-upload', '--root', root], { encoding: 'utf8' });
    const dir = join(root, 'projects/level-04/file-upload');

    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('Created projects/level-04/file-upload (level-04/file-upload)');
    expect(cli.stdout).toMatch(/^ {6}items\.routes\.ts$/m);
    for (const command of ['pnpm install', 'pnpm --filter level-04/file-upload test', 'pnpm dev --filter level-04/file-upload']) {
      expect(cli.stdout).toMatch(new RegExp(`^  ${command.replaceAll('/', '\\/')} +#`, 'm'));
    }
    expect(filesUnder(dir)).toEqual(EXPECTED_FILES);
    const texts = EXPECTED_FILES.map((file) => readFileSync(join(dir, file), 'utf8'));
    expect(texts.join('\n')).not.toMatch(/__[A-Z][A-Z_]*__/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: 'level-04/file-upload',
      description: 'File type is decided by its bytes, never by its name.',
      hub: { port: 3401, needs: ['mongo'] },
    });
    // Its own port, the first of level 04, wherever a learner meets it.
    expect(cli.stdout).toMatch(/^ {2}pnpm dev --filter level-04\/file-upload +# runs it on its own port, 3401;/m);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('curl -X POST localhost:3401/auth/signup');
    expect(readFileSync(join(dir, 'postman/file-upload.local.postman_environment.json'), 'utf8')).toContain('"http://localhost:3401"');
    expect(readFileSync(join(dir, '.env.example'), 'utf8')).toMatch(/^PORT=3401$/m);
    expect(Object.keys(pkg.scripts)).toEqual(['dev', 'start', 'test', 'typecheck', 'lint']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(
      /^# level-04\/file-upload — File type is decided by its bytes, never by its name\n/,
    );
    expect(readFileSync(join(dir, '.env.example'), 'utf8')).toContain(
      'MONGO_URL=mongodb://127.0.0.1:27017/level-04-file-upload?directConnection=true',
    );

    linkDependencies(dir);
    const report = join(root, 'jest-report.json');
    // The template itself is part of the root `pnpm typecheck` (tsconfig.json includes it, and its
    // placeholders live only in strings), so only the generated suite runs here.
    const tests = await run(
      process.execPath,
      [resolve(repo, 'shared/testkit/bin/hub-test.js'), '--ci', '--json', '--outputFile', report],
      dir,
    );

    if (tests.code !== 0) throw new Error(`the new service's suite failed:\n${tests.output}`);
    const outcome = readJestReport('level-04/file-upload', JSON.parse(readFileSync(report, 'utf8')), dir);
    expect(new Set(outcome.tests.map(({ file }) => file))).toEqual(
      new Set(['test/bad-input.test.ts', 'test/config.test.ts', 'test/contract.test.ts', 'test/crud.test.ts', 'test/postman.test.ts']),
    );
    expect(outcome.failed).toBe(0);
    expect(outcome.passed).toBeGreaterThanOrEqual(40);
    // Every guarantee the README states points at tests that ran and passed.
    const rows = board(parseGuarantees(readFileSync(join(dir, 'README.md'), 'utf8')), outcome.tests);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter(({ status }) => status !== 'passed').map(({ guarantee }) => guarantee)).toEqual([]);
  }, 120_000);

  test('the next service of the level gets the next free port', () => {
    // level-04/file-upload (the test above) holds 3401.
    const made = scaffold('level-04/url-shortener', { root });

    expect(made.port).toBe(3402);
    expect(JSON.parse(readFileSync(join(made.dir, 'package.json'), 'utf8')).hub).toEqual({ port: 3402, needs: ['mongo'] });
    expect(scaffold('level-05/background-jobs', { root }).port).toBe(3501);
  });

  test('refuses a folder that already exists, and leaves it as it was', () => {
    const dir = join(root, 'projects/level-07/kept');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.txt'), 'mine');

    expect(() => scaffold('level-07/kept', { root })).toThrow(
      new ScaffoldError('projects/level-07/kept already exists: pick another name, or delete the folder first.'),
    );
    expect(filesUnder(dir)).toEqual(['mine.txt']);
  });

  test('refuses a level folder that is a symlink leading out of projects/, and writes nothing there', () => {
    const outside = mkdtempSync(join(root, 'outside-'));
    symlinkSync(outside, join(root, 'projects/level-06'), 'dir');

    expect(() => scaffold('level-06/escape', { root })).toThrow(/resolves outside/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('names pnpm new refuses', () => {
  test.each([
    ['level 08 (there are seven)', 'level-08/thing'],
    ['level 00', 'level-00/thing'],
    ['a level without its leading zero', 'level-4/thing'],
    ['no level', 'file-upload'],
    ['capital letters', 'level-04/File-Upload'],
    ['an underscore', 'level-04/file_upload'],
    ['a leading hyphen', 'level-04/-upload'],
    ['a trailing hyphen', 'level-04/upload-'],
    ['a double hyphen', 'level-04/file--upload'],
    ['a leading digit', 'level-04/4upload'],
    ['a parent folder', 'level-04/../../etc'],
    ['a relative prefix', './level-04/file-upload'],
    ['an absolute path', '/tmp/level-04/file-upload'],
    ['a nested folder', 'level-04/file/upload'],
    ['a backslash', 'level-04\\file-upload'],
    ['a trailing slash', 'level-04/file-upload/'],
    ['a trailing newline', 'level-04/file-upload\n'],
    ['a space', 'level-04/file upload'],
    ['nothing after the level', 'level-04/'],
    ['an empty name', ''],
  ])('%s: %j is refused and nothing is written', (_case, name) => {
    const before = filesUnder(root);

    expect(() => scaffold(name, { root })).toThrow(ScaffoldError);
    expect(filesUnder(root)).toEqual(before);
  });

  test('a name over 40 characters is refused', () => {
    expect(() => parseServiceName(`level-04/${'a'.repeat(41)}`)).toThrow(/longer than 40 characters/);
    expect(parseServiceName(`level-04/${'a'.repeat(40)}`)).toMatchObject({ level: 4, slug: 'a'.repeat(40) });
  });

  test('the command line says why, exits 1 for a bad name and 2 without one', () => {
    const errors: string[] = [];
    const quiet = { log: () => {}, error: (line: string) => errors.push(line) };

    expect(main(['level-09/thing', '--root', root], quiet)).toBe(1);
    expect(main([], quiet)).toBe(2);
    expect(main(['a', 'b'], quiet)).toBe(2);
    expect(errors[0]).toMatch(/^"level-09\/thing" is not a service name\. Use level-0N\/<name>: a level from 01 to 07/);
    expect(errors[1]).toMatch(/^Usage: pnpm new level-0N\/<name>/);
  });
});
