import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { hubDir, repoRoot } from '@hub/engines';
import { launch } from '../src/launch.ts';

// A real launch, as a learner runs it: `node shared/dev/bin/dev.js --filter <project>` (`pnpm dev`)
// with nothing set, not even NODE_ENV (the launcher sets development itself), data kept in a
// folder of this test's own under .hub/.
const dataFolder = `dev-test-${process.pid}`;
const port = 20_000 + (process.pid % 10_000);
const base = `http://127.0.0.1:${port}`;

afterAll(() => rmSync(hubDir(dataFolder), { recursive: true, force: true }));

// A test that fails half-way must not leave its launcher on the port the next test uses.
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) await stop(child);
});

async function startDev(project: string): Promise<{ child: ChildProcess; output: () => string }> {
  const {
    MONGO_URL: _mongo,
    REDIS_URL: _redis,
    SMTP_URL: _smtp,
    JWT_SECRET: _secret,
    SESSION_SECRET: _session,
    NODE_ENV: _mode,
    ...env
  } = process.env;
  const child = spawn(process.execPath, ['shared/dev/bin/dev.js', '--filter', project], {
    cwd: repoRoot,
    env: { ...env, PORT: String(port), HUB_DEV_DATA: dataFolder, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  // The last line the launcher prints once the service is up: the URLs before it have arrived too.
  while (!output.includes('Ctrl+C stops it')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the launcher did not come up:\n${output}`);
    await new Promise((done) => setTimeout(done, 200));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('pnpm dev --filter level-03/password-reset, with no Docker and nothing set: no MONGO_URL, REDIS_URL, SMTP_URL or secrets', () => {
  // One service that needs every engine and a secret, started twice: each boot costs a JVM and
  // a service start, so this test asks everything of the same two boots.
  const project = 'level-03/password-reset';
  const email = `dev-${process.pid}@example.com`;
  const password = 'correct horse battery';
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  test('starts its engines (data under .hub/), prints its URLs and the reset mail; after a restart the account and its token still work', async () => {
    const first = await startDev(project);
    const output = first.output();
    expect(output).toContain('MongoDB  ');
    // The engine's URL is printed, so a script or mongosh can reach the same database.
    expect(output).toMatch(/^ {11}mongodb:\/\/127\.0\.0\.1:\d+\/level-03-password-reset/m);
    expect(output).toContain(resolve(repoRoot, '.hub', dataFolder, project));
    expect(output).toMatch(/^ {2}Redis {4}.+$/m);
    expect(output).toMatch(/SMTP +mail catcher on port \d+/);
    expect(output).toContain(`Swagger  http://localhost:${port}/docs`);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
    // Development, though nobody set NODE_ENV: the hub page's event routes exist only there.
    expect((await fetch(`${base}/__hub/events/recent`)).status).toBe(200);

    // A development JWT secret was made up and kept: signup signs with it.
    const signup = await post('/auth/signup', { email, password });
    expect(signup.status).toBe(201);
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const secrets = ['jwt-secret', 'session-secret'].map((name) => resolve(hubDir(`${dataFolder}/${project}`), name));
    const kept = secrets.map((file) => readFileSync(file, 'utf8'));
    for (const file of secrets) expect(statSync(file).mode & 0o777).toBe(0o600);

    // No SMTP_URL: a mail catcher prints the mail in the terminal, its link on the port this run picked.
    expect((await post('/auth/password/forgot', { email })).status).toBe(202);
    const deadline = Date.now() + 10_000;
    while (!first.output().includes(`mail to ${email}`) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    expect(first.output()).toContain(`mail to ${email}`);
    expect(first.output()).toMatch(new RegExp(`http://localhost:${port}/auth/password/reset\\?token=[\\w-]{43}`));

    expect(await stop(first.child)).toBe(0);
    // The service is gone, and so are the engines started for it (their command lines name our data folder).
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(spawnSync('pgrep', ['-f', dataFolder]).status).toBe(1);

    const second = await startDev(project);
    // The account is in the data file, and the token issued before the restart is still valid.
    expect((await post('/auth/login', { email, password })).status).toBe(200);
    expect((await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect(secrets.map((file) => readFileSync(file, 'utf8'))).toEqual(kept);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});

describe('a service with a worker (src/worker.ts beside src/server.ts)', () => {
  test('pnpm dev runs both with the same settings, and stopping it stops both', async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'hub-worker-launch-'));
    mkdirSync(resolve(dir, 'src'));
    const said = (file: string) => `require('node:fs').appendFileSync(${JSON.stringify(resolve(dir, file))}, process.env.SHARED + '\\n')`;
    writeFileSync(
      resolve(dir, 'src/server.ts'),
      `import { createServer } from 'node:http';\n${said('server.log')};\n` +
        "const server = createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n" +
        "process.once('SIGINT', () => server.close());\n",
    );
    writeFileSync(
      resolve(dir, 'src/worker.ts'),
      `${said('worker.log')};\nconst timer = setInterval(() => {}, 1_000);\n` +
        `process.once('SIGINT', () => { clearInterval(timer); ${said('worker-stopped.log')}; });\n`,
    );
    const stopper = new AbortController();
    // Stops polling after 30 s like the file's other waits; a worker that never started then fails the worker.log assertion.
    const workerStarted = async () => {
      const deadline = Date.now() + 30_000;
      while (!existsSync(resolve(dir, 'worker.log')) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
    };
    try {
      const running = launch(
        { name: 'level-07/worker-fixture', dir, needs: [], port: port + 1 },
        {
          env: { ...process.env, SHARED: 'same-settings' },
          dataFolder,
          log: () => {},
          output: () => {},
          stop: stopper.signal,
          // Up means the server listens; the worker may still be loading (tsx, a busy machine).
          // Stop once it has started too, or a SIGINT before its handler exists ends it unheard.
          onUp: () => void workerStarted().then(() => stopper.abort()),
        },
      );

      expect(await running).toBe(0);
      expect(readFileSync(resolve(dir, 'server.log'), 'utf8')).toBe('same-settings\n');
      expect(readFileSync(resolve(dir, 'worker.log'), 'utf8')).toBe('same-settings\n');
      expect(readFileSync(resolve(dir, 'worker-stopped.log'), 'utf8')).toBe('same-settings\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
