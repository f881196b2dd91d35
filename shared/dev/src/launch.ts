import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEnv } from 'node:util';
import { hubDir, startMailCatcher, startMongo, startRedis, type CaughtMail, type Engine } from '@hub/engines';
import { claimPort, isFree } from './ports.ts';
import { LaunchError, type Project } from './projects.ts';

export interface LaunchOptions {
  /** The environment the service starts with (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Folder under .hub/ that keeps dev data between runs (default `dev`). */
  dataFolder?: string;
  log?: (line: string) => void;
  /**
   * For the hub page: the service's output goes here instead of this terminal, and this process's
   * signals are left alone (the hub stops the service through `stop`).
   */
  output?: (text: string) => void;
  /** Aborting it stops the service (as Ctrl+C would) and then the engines started for it. */
  stop?: AbortSignal;
  /** Called once the service answers /health. */
  onUp?: (service: { url: string; port: number }) => void;
  /** Start clean: delete the service's dev data (database, Redis data, dev secrets) first. */
  reset?: boolean;
}

/** Under .hub/<data folder>/<service>/: the MongoDB URL the running service uses, and the newest mail the catcher got. */
export const MONGO_URL_FILE = 'mongo-url';
export const LAST_MAIL_FILE = 'last-mail.txt';
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * Runs one service the way a learner wants it: on its own port (or PORT), its MongoDB/Redis found
 * or started (data kept under .hub/), then `tsx watch src/server.ts` (and `src/worker.ts`, when the
 * service has one), restarting on every edit.
 * Resolves with the exit code once the service has stopped and the engines started for it are
 * stopped too. A busy port is a PortBusyError, thrown before anything is started or deleted.
 */
export async function launch(project: Project, options: LaunchOptions = {}): Promise<number> {
  const { env = process.env, dataFolder = 'dev', log = console.log, output, stop, onUp, reset = false } = options;
  // Same precedence as the service's own config: the process environment, then its .env file.
  const settings = { ...readDotEnv(project.dir), ...env };
  const engines: Engine[] = [];
  const dataDir = `${dataFolder}/${project.name}`;
  const stopEngines = async () => {
    rmSync(resolve(hubDir(dataDir), MONGO_URL_FILE), { force: true });
    for (const engine of engines.splice(0).reverse()) await engine.stop();
  };
  // A service started without NODE_ENV runs as production: `pnpm dev` is development unless
  // told otherwise (an empty `NODE_ENV=` in .env counts as not set, as loadConfig counts it).
  const serviceEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: settings.NODE_ENV || 'development' };

  try {
    // First, while nothing is started: the same service running in a terminal holds this port
    // and its data files, and would otherwise surface as a locked database file.
    const port = settings.PORT ? Number(settings.PORT) : project.port;
    await claimPort(project.name, port, project.port);
    serviceEnv.PORT = String(port);
    const kept = hubDir(...dataDir.split('/'));
    if (reset) log(resetDevData(dataDir, settings));
    // Said at every start: a login throttle or an account from an earlier run is this data, not a bug.
    else if (readdirSync(kept).length > 0) log(`  Data     kept from earlier runs in ${kept} (--reset starts clean)`);
    if (project.needs.includes('mongo')) {
      const mongo = settings.MONGO_URL
        ? { url: settings.MONGO_URL, description: 'MongoDB from MONGO_URL', stop: async () => {} }
        : await startMongo({ dataDir, onSkip: (engine, reason) => log(`  MongoDB: skipped ${engine}: ${reason.split('\n')[0]}`) }).catch(
            (error: unknown) => Promise.reject(mongoFailure(project.name, error)),
          );
      engines.push(mongo);
      serviceEnv.MONGO_URL = withDatabase(mongo.url, project.name.replace('/', '-'));
      log(`  MongoDB  ${mongo.description}`);
      // Started here, on a port of its own: say where, for scripts (rbac's promote) and tools (mongosh).
      if (!settings.MONGO_URL) log(`           ${serviceEnv.MONGO_URL}`);
      // And keep it in a file while the service runs, so a command can read it: MONGO_URL=$(cat .hub/dev/<service>/mongo-url).
      writeFileSync(resolve(hubDir(dataDir), MONGO_URL_FILE), `${serviceEnv.MONGO_URL}\n`);
    }
    if (project.needs.includes('redis')) {
      const redis = settings.REDIS_URL
        ? { url: settings.REDIS_URL, description: 'Redis from REDIS_URL', stop: async () => {} }
        : await startRedis({
            dataDir,
            env,
            onSkip: (engine, reason) => log(`  Redis: skipped ${engine}: ${reason.split('\n')[0]}`),
            log: (line) => log(`  ${line}`),
          });
      engines.push(redis);
      serviceEnv.REDIS_URL = redis.url;
      log(`  Redis    ${redis.description}`);
      if (!settings.REDIS_URL) log(`           ${redis.url}`);
    }
    if (project.needs.includes('smtp')) {
      const smtp = settings.SMTP_URL
        ? { url: settings.SMTP_URL, description: 'SMTP from SMTP_URL', stop: async () => {} }
        : await startMailCatcher({
            onMail: (mail) => {
              (output ?? log)(describeMail(mail));
              // The newest mail, also kept in a file: a command can take a link from it (password-reset's README does).
              writeFileSync(resolve(hubDir(dataDir), LAST_MAIL_FILE), describeMail(mail));
            },
          });
      if (!settings.SMTP_URL) rmSync(resolve(hubDir(dataDir), LAST_MAIL_FILE), { force: true });
      engines.push(smtp);
      serviceEnv.SMTP_URL = smtp.url;
      log(`  SMTP     ${smtp.description}`);
    }
    // Services that sign tokens or cookies refuse to start without their secret (the others ignore it).
    for (const key of DEVELOPMENT_SECRETS) serviceEnv[key] = settings[key] || developmentSecret(dataDir, key);
  } catch (error) {
    await stopEngines();
    throw error instanceof LaunchError ? error : new LaunchError(error instanceof Error ? error.message : String(error));
  }

  // A service with background work (level 05) has a worker beside its server: `pnpm dev` runs
  // both, on the same engines and settings, and stops both.
  const files = ['src/server.ts', ...(existsSync(resolve(project.dir, 'src/worker.ts')) ? ['src/worker.ts'] : [])];
  const children = files.map((file) => {
    const child = spawn(process.execPath, [tsxCli, 'watch', '--clear-screen=false', file], {
      cwd: project.dir,
      env: serviceEnv,
      stdio: output ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      // Its own process group: Ctrl+C reaches only us, and we pass it on exactly once. (A
      // second signal tells tsx and the server to stop at once instead of draining.)
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => output?.(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output?.(chunk.toString()));
    return child;
  });
  const exitCodes = children.map(
    (each) => new Promise<number>((done) => each.once('exit', (code, signal) => done(code ?? (signal ? 0 : 1)))),
  );
  // The server leaving ends the run (the worker is stopped with it); its code is the run's.
  const exited = exitCodes[0] as Promise<number>;
  void exited.then(() => children.slice(1).forEach((worker) => worker.exitCode === null && worker.kill('SIGTERM')));
  const killOnExit = () => children.forEach((each) => each.kill('SIGKILL'));
  process.once('exit', killOnExit);
  let forwarded = false;
  const forward = (signal: NodeJS.Signals) => {
    if (forwarded || children.every((each) => each.exitCode !== null)) return;
    forwarded = true;
    for (const each of children) if (each.exitCode === null) each.kill(signal);
  };
  const handleSignals = !output;
  if (handleSignals) {
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
  }
  const onAbort = () => forward('SIGINT');
  if (stop?.aborted) onAbort();
  else stop?.addEventListener('abort', onAbort, { once: true });

  const base = `http://${serviceEnv.HOST === '0.0.0.0' || !serviceEnv.HOST ? 'localhost' : serviceEnv.HOST}:${serviceEnv.PORT}`;
  void waitForHealth(`http://127.0.0.1:${serviceEnv.PORT}/health`, exited).then((up) => {
    if (!up) return;
    onUp?.({ url: `http://127.0.0.1:${serviceEnv.PORT}`, port: Number(serviceEnv.PORT) });
    log(`\n${project.name} is up (watch mode: saving a file restarts it)`);
    log(`  API      ${base}`);
    log(`  Swagger  ${base}/docs`);
    log(`  Health   ${base}/health   Ready ${base}/ready`);
    log('Ctrl+C stops it and the engines started for it.\n');
  });

  const code = await exited;
  await Promise.all(exitCodes);
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  process.off('exit', killOnExit);
  stop?.removeEventListener('abort', onAbort);
  await stopEngines();
  return code;
}

/**
 * Deletes the service's dev data folder (.hub/dev/<level>/<name>): its MongoDB files, its Redis
 * data (the login throttle's counters among them) and its dev secrets, so tokens and cookies
 * issued before are refused too. A database named by MONGO_URL or REDIS_URL is not ours to empty.
 */
export function resetDevData(dataDir: string, settings: NodeJS.ProcessEnv = {}): string {
  const dir = hubDir(...dataDir.split('/'));
  rmSync(dir, { recursive: true, force: true });
  const kept = ['MONGO_URL', 'REDIS_URL'].filter((key) => settings[key]);
  return [
    `  Reset    deleted ${dir}: its database, Redis data and dev secrets; starting clean`,
    ...kept.map((key) => `           ${key} is set: that database is yours, and was left as it is`),
  ].join('\n');
}

/**
 * A MongoDB that could not start, said plainly when its data file is locked: the same service is
 * running already (on another port), and the advice to install Java and Maven would be wrong.
 */
export function mongoFailure(service: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (!/file is locked|DBPathInUse|Unable to lock/i.test(message)) return error instanceof Error ? error : new Error(message);
  return new LaunchError(
    [
      `${service}'s dev database is in use: it is already running, from another terminal or the hub page,`,
      'on a port other than this one. Stop that one first, or watch it on the hub page with Attach.',
    ].join('\n'),
  );
}

/** Secrets a service may require, made up for development when neither the environment nor .env sets them. */
const DEVELOPMENT_SECRETS = ['JWT_SECRET', 'SESSION_SECRET'] as const;

/**
 * A random secret for this project's dev data folder, made on first launch and kept in
 * .hub/ (git-ignored), so tokens and session cookies issued before a restart still work after it.
 */
function developmentSecret(dataDir: string, key: (typeof DEVELOPMENT_SECRETS)[number]): string {
  // jwt-secret, session-secret: one file each, so tokens and cookies survive a restart.
  const file = resolve(hubDir(dataDir), key.toLowerCase().replace('_', '-'));
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function readDotEnv(dir: string): Record<string, string> {
  const file = resolve(dir, '.env');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** The URL with `database` as its path, unless it already names one. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  if (parsed.pathname.length > 1) return url;
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** For the hub page's own port (it prints the one it took): the first free one from `from`. */
export async function firstFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 20; port++) if (await isFree(port)) return port;
  throw new LaunchError(`Ports ${from}-${from + 19} are all busy; set HUB_PORT to a free one.`);
}

/** Polls /health until it answers 200 (true) or the service exits first (false). */
async function waitForHealth(url: string, exited: Promise<number>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

/** A caught mail as the terminal shows it: where the learner reads the reset link in development. */
function describeMail(mail: CaughtMail): string {
  const rule = '─'.repeat(60);
  return `\n${rule}\n✉  mail to ${mail.to.join(', ')} from ${mail.from}\n   Subject: ${mail.subject}\n\n${mail.text.trim()}\n${rule}\n`;
}
