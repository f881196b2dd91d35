// What the hub page starts and runs: services (through the same launch() as `pnpm dev --filter`)
// and test suites (through the test kit's Jest runner), one of each at a time per service.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { hubDir, repoRoot } from '@hub/engines';
import { launch } from '../launch.ts';
import { LaunchError, type Project } from '../projects.ts';
import { readJestReport, type TestRun } from './guarantees.ts';

export interface RunningService {
  name: string;
  url: string;
  port: number;
}

interface Launched {
  /** Resolves once /health answers; rejects when the service stops first. */
  info: Promise<RunningService>;
  stop: AbortController;
  exited: Promise<number>;
  /** The last lines the service printed, for when it fails to start. */
  output: string[];
}

/** The environment a test run starts with: the hub's (MONGO_URL, REDIS_URL… the learner exported), less NODE_ENV, which Jest sets to test itself. */
export function testRunEnv({ NODE_ENV: _mode, ...env }: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env;
}

export class Services {
  private readonly launched = new Map<string, Launched>();
  private readonly up = new Map<string, RunningService>();
  private readonly testRuns = new Map<string, Promise<TestRun>>();
  /**
   * Starts one at a time: a port is checked free, then taken seconds later once the engines are
   * up, so two services given the same PORT fail one after the other with a clear message.
   */
  private queue: Promise<unknown> = Promise.resolve();

  private readonly dataFolder: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;

  constructor(dataFolder: string, env: NodeJS.ProcessEnv, log: (line: string) => void) {
    this.dataFolder = dataFolder;
    this.env = env;
    this.log = log;
  }

  running(): RunningService[] {
    return [...this.up.values()];
  }

  get(name: string): RunningService | undefined {
    return this.up.get(name);
  }

  /** Starts the service, or answers the one already running; resolves once /health answers. */
  start(project: Project): Promise<RunningService> {
    const existing = this.launched.get(project.name);
    if (existing) return existing.info;
    // info and exited are set just below, once the launch is under way.
    const launched = { stop: new AbortController(), output: [] } as unknown as Launched;
    const print = (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) {
        launched.output.push(line);
        this.log(`[${project.name}] ${line}`);
      }
      launched.output.splice(0, launched.output.length - 40);
    };
    launched.info = this.queue.then(
      () =>
        new Promise<RunningService>((ready, fail) => {
          launched.exited = launch(project, {
            dataFolder: this.dataFolder,
            env: this.env,
            stop: launched.stop.signal,
            log: print,
            output: print,
            onUp: ({ url, port }) => {
              this.up.set(project.name, { name: project.name, url, port });
              ready({ name: project.name, url, port });
            },
          });
          launched.exited
            .then(
              (code) =>
                fail(new LaunchError(`${project.name} stopped (exit ${code}) before it answered /health:\n${launched.output.join('\n')}`)),
              (error: unknown) => fail(error instanceof Error ? error : new LaunchError(String(error))),
            )
            .finally(() => {
              this.launched.delete(project.name);
              this.up.delete(project.name);
            });
        }),
    );
    this.queue = launched.info.catch(() => {});
    this.launched.set(project.name, launched);
    return launched.info;
  }

  /** Stops the service and the engines started for it; false when it was not running. */
  async stop(name: string): Promise<boolean> {
    const launched = this.launched.get(name);
    if (!launched) return false;
    launched.stop.abort();
    await launched.info.catch(() => {});
    await launched.exited.catch(() => {});
    return true;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.launched.keys()].map((name) => this.stop(name)));
  }

  /** The last test run of a service, from memory or from the report a run left under .hub/. */
  async lastTestRun(project: Project): Promise<TestRun | null> {
    const inFlight = this.testRuns.get(project.name);
    if (inFlight) return inFlight.catch(() => null);
    return existsSync(this.reportFile(project)) ? this.readReport(project) : null;
  }

  /** Runs the service's Jest suite (as `pnpm --filter <name> test` does) and reads its report. */
  runTests(project: Project): Promise<TestRun> {
    const inFlight = this.testRuns.get(project.name);
    if (inFlight) return inFlight;
    const run = this.jest(project).finally(() => this.testRuns.delete(project.name));
    this.testRuns.set(project.name, run);
    return run;
  }

  private reportFile(project: Project): string {
    const [level = '', slug = ''] = project.name.split('/');
    return resolve(hubDir(this.dataFolder, 'hub-tests', level), `${slug}.json`);
  }

  private async jest(project: Project): Promise<TestRun> {
    const file = this.reportFile(project);
    rmSync(file, { force: true });
    const env = testRunEnv(this.env);
    const args = ['shared/testkit/bin/hub-test.js', '--selectProjects', project.name, '--json', '--outputFile', file];
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    await new Promise((done) => child.once('exit', done));
    if (!existsSync(file)) throw new Error(`the test run left no report:\n${errors}`);
    return this.readReport(project);
  }

  private readReport(project: Project): TestRun {
    return readJestReport(project.name, JSON.parse(readFileSync(this.reportFile(project), 'utf8')), project.dir);
  }
}
