import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { promisify } from 'node:util';
import { onPath, reachable, spawnUntilReady, stopChild, type Engine } from './child.ts';
import { hubDir } from './paths.ts';

export interface MongoOptions {
  /**
   * Keep data between runs: a folder for an embedded mongod, an H2 file for mongo-java-server.
   * Omit it for a throwaway in-memory engine (tests).
   */
  dataDir?: string;
  /** Called with each engine tried and why it was passed over. */
  onSkip?: (engine: string, reason: string) => void;
}

const javaDir = resolve(import.meta.dirname, '../java');
const launcherSource = resolve(javaDir, 'Launcher.java');
const MONGO_JAVA_SERVER = 'mongo-java-server 1.47.0';

/**
 * Finds a MongoDB to use, in this order: MONGO_URL; an embedded mongod (mongodb-memory-server)
 * when its binary is cached or can be downloaded; mongo-java-server through Java; else an error
 * that says how to get each.
 */
export async function startMongo({ dataDir, onSkip = () => {} }: MongoOptions = {}): Promise<Engine> {
  const fromEnv = process.env.MONGO_URL;
  if (fromEnv) return { url: fromEnv, description: 'MongoDB from MONGO_URL', stop: async () => {} };

  const reasons: string[] = [];
  for (const [name, start] of [
    ['mongodb-memory-server', startMemoryServer],
    [MONGO_JAVA_SERVER, startMongoJavaServer],
  ] as const) {
    try {
      return await start(dataDir);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      reasons.push(`- ${name}: ${reason}`);
      onSkip(name, reason);
    }
  }
  throw new Error(
    [
      'No MongoDB could be found or started.',
      ...reasons,
      'Any one of these fixes it:',
      '- set MONGO_URL (for example mongodb://127.0.0.1:27017 after `docker compose up -d mongo`);',
      '- let mongodb-memory-server download mongod once (needs internet access);',
      '- install Java 17+ and Maven so mongo-java-server can run (apt-get install openjdk-17-jdk maven).',
    ].join('\n'),
  );
}

async function startMemoryServer(dataDir?: string): Promise<Engine> {
  const { DryMongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
  const options = await DryMongoBinary.generateOptions();
  if (!(await DryMongoBinary.locateBinary(options))) {
    // Not cached: only try when the download host answers, instead of failing slowly later.
    const { MongoBinaryDownloadUrl } = await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl.js');
    const url = new URL(await new MongoBinaryDownloadUrl(options).getDownloadUrl());
    await reachable(url.hostname, Number(url.port || 443), 2_500);
  }
  const server = await MongoMemoryServer.create({
    instance: dataDir ? { dbPath: hubDirFor(dataDir, 'mongod'), storageEngine: 'wiredTiger' } : {},
  });
  return {
    url: server.getUri(),
    description: `mongod ${options.version} (mongodb-memory-server)`,
    stop: async () => void (await server.stop({ doCleanup: !dataDir })),
  };
}

async function startMongoJavaServer(dataDir?: string): Promise<Engine> {
  if (!(await onPath('java'))) throw new Error('`java` is not on PATH');
  const classpath = await mongoJavaServerClasspath();
  const compiled = await compiledLauncher(classpath);
  const args = compiled ? ['-cp', `${classpath}${delimiter}${compiled}`, 'Launcher', '0'] : ['-cp', classpath, launcherSource, '0'];
  const file = dataDir ? resolve(hubDirFor(dataDir, 'mongo-java-server'), 'data.mv') : undefined;
  if (file) args.push(file);
  const { child, match } = await spawnUntilReady('java', args, /listening (\d+)/);
  return {
    url: `mongodb://127.0.0.1:${match[1]}`,
    description: `${MONGO_JAVA_SERVER} (${file ? `H2 file ${file}` : 'in memory'})`,
    stop: () => stopChild(child),
  };
}

/**
 * Launcher.java compiled once into .hub/ (a folder named by its hash, so an edit recompiles):
 * `java Launcher.java` compiles the source in memory on every start, about 3 s of a 3.5 s
 * start, and tests and `pnpm dev` start many. Undefined without `javac` (a JRE only) or when
 * it fails: then the source runs as it is.
 */
async function compiledLauncher(classpath: string): Promise<string | undefined> {
  const source = readFileSync(launcherSource);
  const dir = resolve(hubDir('mongo-java-server'), `launcher-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (existsSync(resolve(dir, 'Launcher.class'))) return dir;
  if (!(await onPath('javac'))) return undefined;
  // Compiled aside and renamed into place, so a process starting at the same time never sees half a folder.
  const scratch = mkdtempSync(`${dir}-tmp-`);
  try {
    await promisify(execFile)('javac', ['-cp', classpath, '-d', scratch, launcherSource], { timeout: 120_000 });
    renameSync(scratch, dir);
  } catch {
    // Another process got there first (the folder exists), or javac failed.
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return existsSync(resolve(dir, 'Launcher.class')) ? dir : undefined;
}

/** The Java classpath for the launcher, resolved by Maven once and cached under .hub/. */
export async function mongoJavaServerClasspath(): Promise<string> {
  const cache = resolve(hubDir('mongo-java-server'), 'classpath.txt');
  if (existsSync(cache)) {
    const classpath = readFileSync(cache, 'utf8').trim();
    if (classpath.split(':').every((jar) => existsSync(jar))) return classpath;
  }
  if (!(await onPath('mvn'))) throw new Error('its classpath is not cached and `mvn` is not on PATH');
  await promisify(execFile)(
    'mvn',
    ['-q', '-B', '-f', resolve(javaDir, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cache}`],
    { timeout: 300_000 },
  );
  return readFileSync(cache, 'utf8').trim();
}

function hubDirFor(dataDir: string, engine: string): string {
  return hubDir(...dataDir.split(/[\\/]/), engine);
}
