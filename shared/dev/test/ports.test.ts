import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { hubDir, repoRoot } from '@hub/engines';
import { launch, mongoFailure } from '../src/launch.ts';
import { busyMessage, claimPort, nextServicePort, PortBusyError, servicePort } from '../src/ports.ts';
import { builtProjects, type Project } from '../src/projects.ts';

// Each service's own port, what `pnpm dev` says when it is taken, and `--reset`. No real
// service boots here: a busy port is refused before anything starts, and the reset test runs a
// ten-line server in place of a service.
const dataFolder = `ports-test-${process.pid}`;
const servers: Array<Server | ReturnType<typeof createTcpServer>> = [];
afterEach(async () => {
  for (const server of servers) if ('closeAllConnections' in server) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});
afterAll(() => rmSync(hubDir(dataFolder), { recursive: true, force: true }));

async function listening(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A port where something answers /health the way our services do: `{ status: 'ok', service }`. */
const serviceAnswering = (service: string) =>
  listening(
    createHttpServer((req, res) => {
      if (req.url === '/health') res.setHeader('content-type', 'application/json').end(JSON.stringify({ status: 'ok', service }));
      else res.writeHead(404).end();
    }),
  );

describe('each service has a port of its own', () => {
  const projects = builtProjects();

  test('3000 + 100 × level + its number in the level, none shared', () => {
    const ports = projects.map(({ name, port }) => [name, port]);

    expect(ports).toContainEqual(['level-01/health-check', 3101]);
    expect(ports).toContainEqual(['level-02/notes', 3201]);
    expect(ports).toContainEqual(['level-03/password-reset', 3304]);
    expect(new Set(projects.map(({ port }) => port)).size).toBe(projects.length);
    for (const { name, port } of projects) {
      const level = Number(/^level-0(\d)\//.exec(name)?.[1]);
      expect({ name, port: Math.floor((port - 3000) / 100) }).toEqual({ name, port: level });
    }
  });

  test.each(projects.map((project): [string, Project] => [project.name, project]))(
    '%s: its README, Postman environment and .env.example use it, never 3000',
    (_name, { dir, name, port }) => {
      const slug = name.split('/')[1];
      const readme = readFileSync(resolve(dir, 'README.md'), 'utf8');
      const environment = JSON.parse(readFileSync(resolve(dir, `postman/${slug}.local.postman_environment.json`), 'utf8')) as {
        values: Array<{ key: string; value: string }>;
      };
      const collection = JSON.parse(readFileSync(resolve(dir, `postman/${slug}.postman_collection.json`), 'utf8')) as {
        variable: Array<{ key: string; value: string }>;
      };

      expect(readme).toContain(`localhost:${port}/`);
      expect(readme).not.toMatch(new RegExp(`localhost:(?!${port}\\b)\\d+`));
      expect(environment.values.find(({ key }) => key === 'baseUrl')?.value).toBe(`http://localhost:${port}`);
      expect(collection.variable.find(({ key }) => key === 'baseUrl')?.value).toBe(`http://localhost:${port}`);
      expect(readFileSync(resolve(dir, '.env.example'), 'utf8')).toMatch(new RegExp(`^PORT=${port}$`, 'm'));
    },
  );

  test('pnpm new takes the first one its level has free', () => {
    expect(servicePort(4, 1)).toBe(3401);
    expect(nextServicePort(4, [3101, 3102])).toBe(3401);
    expect(nextServicePort(4, [3401, 3403])).toBe(3402);
    expect(() =>
      nextServicePort(
        4,
        Array.from({ length: 99 }, (_, index) => 3401 + index),
      ),
    ).toThrow(/no free port left/);
  });
});

describe('a busy port is named with what holds it, and nothing moves to another port', () => {
  test('the same service already running there: says so, and how to watch it', async () => {
    const port = await serviceAnswering('level-01/counter');
    const refused = await claimPort('level-01/counter', port).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(PortBusyError);
    expect(refused).toMatchObject({ port, holder: { service: 'level-01/counter' } });
    expect((refused as Error).message).toBe(
      `Port ${port} is busy: level-01/counter is already running there (in another terminal, or started from the hub page).\n` +
        `Use that one at http://localhost:${port}, or stop it first. To watch it on the hub page, press Attach there.`,
    );
  });

  test('another of our services: named by its /health', async () => {
    const port = await serviceAnswering('level-01/counter');

    await expect(claimPort('level-02/notes', port)).rejects.toThrow(
      new RegExp(`^Port ${port} is busy: level-01/counter is running there\\.\\nlevel-02/notes listens on ${port}: stop that first`),
    );
  });

  test('a program that is not one of ours (no /health, or not ours): named by its pid and command line', async () => {
    const tcp = await listening(createTcpServer((socket) => socket.destroy()));
    const http = await listening(createHttpServer((_req, res) => res.end('hello')));

    for (const port of [tcp, http]) {
      const refused = (await claimPort('level-01/counter', port).catch((error: unknown) => error)) as PortBusyError;
      expect(refused).toBeInstanceOf(PortBusyError);
      // This process holds it: ss (Linux) or lsof (macOS) says so, /proc gives its command line.
      expect(refused.holder.process).toMatch(new RegExp(`^pid ${process.pid}( \\(.*node.*\\))?$`));
      expect(refused.message).toContain(`Port ${port} is busy: it is held by pid ${process.pid}`);
    }
  });

  test('PORT set to a busy port: the message still gives the port its README and Postman environment use', () => {
    expect(busyMessage('level-01/counter', 4567, { service: 'level-02/notes' }, 3102)).toBe(
      'Port 4567 is busy: level-02/notes is running there.\n' +
        'level-01/counter listens on 4567: stop that first, or run this one on another port with PORT=<port> (its README and Postman environment say 3102).',
    );
  });

  test('the same service running on another port: its locked database file is said so, not as advice to install Java', () => {
    const locked = new Error(
      'No MongoDB could be found or started.\n- mongo-java-server 1.47.0: java exited early (code 1).\n' +
        'org.h2.mvstore.MVStoreException: The file is locked: /repo/.hub/dev/level-01/counter/mongo-java-server/data.mv [2.2.224/7]\n' +
        '- install Java 17+ and Maven so mongo-java-server can run',
    );
    const other = new Error('No MongoDB could be found or started.');

    expect(mongoFailure('level-01/counter', locked).message).toBe(
      "level-01/counter's dev database is in use: it is already running, from another terminal or the hub page,\n" +
        'on a port other than this one. Stop that one first, or watch it on the hub page with Attach.',
    );
    expect(mongoFailure('level-01/counter', other)).toBe(other);
  });

  test('when nothing can tell, "another program"', () => {
    expect(busyMessage('level-01/counter', 3102, {})).toBe(
      'Port 3102 is busy: another program is listening on it.\n' +
        'level-01/counter listens on 3102: stop that first, or run this one on another port with PORT=<port> (its README and Postman environment say 3102).',
    );
  });

  test('pnpm dev --filter … stops with the message and exit 1, before starting an engine or deleting data (even with --reset)', async () => {
    const port = await serviceAnswering('level-01/counter');
    const kept = resolve(hubDir(dataFolder, 'level-01', 'counter'), 'jwt-secret');
    writeFileSync(kept, 'kept\n');
    const { MONGO_URL: _mongo, ...env } = process.env;
    const child = spawn(process.execPath, ['shared/dev/bin/dev.js', '--filter', 'level-01/counter', '--reset'], {
      cwd: repoRoot,
      env: { ...env, PORT: String(port), HUB_DEV_DATA: dataFolder },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];

    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} is busy: level-01/counter is already running there`);
    expect(output).not.toMatch(/MongoDB|Reset/);
    expect(readFileSync(kept, 'utf8')).toBe('kept\n');
  });
});

describe('pnpm dev --filter … --reset', () => {
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-reset-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('deletes the service’s dev data (database files, Redis data, dev secrets) before it starts; without it, they are kept', async () => {
    // A stand-in service: answers /health on PORT, nothing else; it needs no engine.
    const dir = resolve(scratch, 'projects/level-04/stand-in');
    mkdirSync(resolve(dir, 'src'), { recursive: true });
    writeFileSync(
      resolve(dir, 'src/server.ts'),
      "import { createServer } from 'node:http';\ncreateServer((_req, res) => res.end('{}')).listen(Number(process.env.PORT), '127.0.0.1');\n",
    );
    const free = await listening(createTcpServer());
    await new Promise((done) => servers.pop()?.close(done));
    const project: Project = { name: 'level-04/stand-in', dir, needs: [], port: free };
    const data = hubDir(dataFolder, 'level-04', 'stand-in');
    const plant = () => {
      mkdirSync(resolve(data, 'mongo-java-server'), { recursive: true });
      mkdirSync(resolve(data, 'redis'), { recursive: true });
      writeFileSync(resolve(data, 'mongo-java-server/data.mv'), 'accounts');
      writeFileSync(resolve(data, 'redis/dump.rdb'), 'login throttle');
      writeFileSync(resolve(data, 'jwt-secret'), 'old secret\n');
    };
    const run = async (reset: boolean) => {
      const lines: string[] = [];
      const stop = new AbortController();
      let exited: Promise<number> = Promise.resolve(0);
      await new Promise((done) => {
        exited = launch(project, { dataFolder, reset, stop: stop.signal, output: () => {}, log: (line) => lines.push(line), onUp: done });
      });
      const seen = {
        database: existsSync(resolve(data, 'mongo-java-server/data.mv')),
        redis: existsSync(resolve(data, 'redis/dump.rdb')),
        secret: readFileSync(resolve(data, 'jwt-secret'), 'utf8'),
        log: lines.join('\n'),
      };
      stop.abort();
      await exited; // the port is free again for the next run
      return seen;
    };

    plant();
    const kept = await run(false);
    expect(kept).toMatchObject({ database: true, redis: true, secret: 'old secret\n' });
    expect(kept.log).toContain(`Data     kept from earlier runs in ${data} (--reset starts clean)`);

    plant();
    const reset = await run(true);
    expect(reset).toMatchObject({ database: false, redis: false });
    expect(reset.secret).not.toBe('old secret\n'); // a new one: tokens issued before are refused
    expect(reset.log).toContain(`Reset    deleted ${data}: its database, Redis data and dev secrets; starting clean`);
  }, 60_000);

  test('without --filter, --reset says what it needs and exits 2', async () => {
    const child = spawn(process.execPath, ['shared/dev/bin/dev.js', '--reset'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];

    expect(code).toBe(2);
    expect(output).toContain("--reset resets one service's dev data: pnpm dev --filter <service> --reset");
  });
});
