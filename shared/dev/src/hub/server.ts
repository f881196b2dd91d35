// The hub page's server: the catalogue, starting and stopping services, each service's live
// request events (proxied from its /__hub/events stream) and its guarantee board. It listens on
// 127.0.0.1 only: it starts processes on this machine, so nothing else may reach it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { repoRoot } from '@hub/engines';
import { isLoopbackHost, LOOPBACK_HOSTNAMES } from '@hub/core/hosts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { marked } from 'marked';
import { CATALOGUE, LEVELS, packageNameOf } from '../catalogue.ts';
import { exercisesOf, runChecks, type CheckState } from '../exercise.ts';
import { firstFreePort } from '../launch.ts';
import { PortBusyError } from '../ports.ts';
import { builtProjects, LaunchError, type Project } from '../projects.ts';
import { board, parseGuarantees, uncitedFailures, verdict, type TestRun } from './guarantees.ts';
import { Services, testRunEnv } from './services.ts';

export interface HubOptions {
  /** Port to try first (default HUB_PORT, else 4000); the first free one from there is taken. */
  port?: number;
  /** Folder under .hub/ for the services' dev data and the test reports (default `dev`). */
  dataFolder?: string;
  /** The environment services and their test runs start with (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The services it offers (default: every built one). */
  projects?: Project[];
  log?: (line: string) => void;
}

export interface Hub {
  url: string;
  /** The address it listens on: always 127.0.0.1. */
  host: string;
  port: number;
  /** Stops every service the hub started (and their engines), then the server. */
  close: () => Promise<void>;
}

const pageDir = resolve(import.meta.dirname, '../../hub');
// The page draws the READMEs' diagrams with mermaid, served from node_modules: it works offline.
const mermaidDir = dirname(createRequire(import.meta.url).resolve('mermaid'));
const DOC_PAGE = /^[a-z0-9-]+\.md$/;

export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const { port, dataFolder = 'dev', env = process.env, log = console.log, projects = builtProjects() } = options;
  const services = new Services(dataFolder, env, log);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.static(pageDir));
  app.use('/vendor/mermaid', express.static(mermaidDir, { immutable: true, maxAge: '1d' }));

  const projectOf = (req: Request): Project | undefined =>
    projects.find(({ name }) => name === `${String(req.params.level)}/${String(req.params.slug)}`);
  const problem = (res: Response, status: number, detail: string, extra: Record<string, unknown> = {}) =>
    res
      .status(status)
      .type('application/problem+json')
      .json({ title: statusTitle[status], status, detail, ...extra });
  // A service being written may have no README yet: then it has no guarantees to show.
  const readme = (project: Project): string | undefined => {
    const file = resolve(project.dir, 'README.md');
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const guaranteesOf = (project: Project) => parseGuarantees(readme(project) ?? '');
  // The rows, the failures no row cites, and the summary: red whenever the run failed.
  const boardOf = (project: Project, run: TestRun | null) => {
    const rows = guaranteesOf(project);
    const lit = board(rows, run?.tests);
    return { run: run && { ...run, tests: undefined }, board: lit, uncited: uncitedFailures(rows, run?.tests), verdict: verdict(run, lit) };
  };

  // This server starts processes, so only this machine's own pages may drive it: the Host must
  // name this machine (a DNS-rebinding page would send its own name), and a browser's
  // cross-site POST (another site's Origin) is refused.
  app.use((req, res, next) => {
    const host = req.get('host') ?? '';
    const origin = req.get('origin');
    if (!isLoopbackHost(host)) return problem(res, 403, `Host ${host} is not this machine.`);
    if (req.method !== 'GET' && origin !== undefined && origin !== `http://${host}`) {
      return problem(res, 403, `Requests from ${origin} may not drive the hub.`);
    }
    next();
  });

  // The repository's docs/ pages, rendered (the request inspector's insights link to them).
  app.get('/docs/:page', (req, res, next) => {
    const file = resolve(repoRoot, 'docs', req.params.page);
    if (!DOC_PAGE.test(req.params.page) || !existsSync(file)) return next();
    const title = req.params.page.replace(/\.md$/, '');
    const body = marked.parse(readFileSync(file, 'utf8'), { async: false, gfm: true });
    // GitHub's heading ids, so the insights' #anchors land on their section.
    const withIds = body.replace(
      /<h([2-4])>(.*?)<\/h\1>/g,
      (_all, level: string, text: string) => `<h${level} id="${slugOf(text)}">${text}</h${level}>`,
    );
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/style.css"></head><body><main class="doc"><article>${withIds}</article></main></body></html>`,
      );
  });

  app.get('/api/catalogue', (_req, res) => {
    const items = CATALOGUE.map((entry) => {
      const name = packageNameOf(entry);
      const project = projects.find((candidate) => candidate.name === name);
      const text = project && readme(project);
      return {
        ...entry,
        name,
        levelTitle: LEVELS[entry.level],
        built: Boolean(project),
        port: project?.port ?? null,
        command: `pnpm dev --filter ${name}`,
        readmeHtml: text === undefined ? null : marked.parse(text, { async: false }),
        guarantees: text === undefined ? [] : parseGuarantees(text),
      };
    });
    res.json({ levels: LEVELS, items });
  });

  app.get('/api/services', (_req, res) => {
    res.json({ items: services.running() });
  });

  app.post('/api/services/:level/:slug/start', async (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    try {
      res.json(await services.start(project));
    } catch (error) {
      // The same service on its port, started in a terminal: nothing to start, but it can be watched.
      if (error instanceof PortBusyError && error.holder.service === project.name) {
        const detail = `${project.name} is already running on port ${error.port} (started in a terminal).`;
        return problem(res, 409, detail, { attach: `http://127.0.0.1:${error.port}` });
      }
      if (error instanceof PortBusyError) return problem(res, 409, error.message);
      problem(res, 500, error instanceof LaunchError ? error.message : String(error));
    }
  });

  app.post('/api/services/:level/:slug/stop', async (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    res.json({ name: project.name, stopped: await services.stop(project.name) });
  });

  /** Where the service of the route answers: the one this hub started, or `?url=` on this machine; else the problem is sent. */
  const serviceBase = (req: Request, res: Response): string | undefined => {
    const name = `${req.params.level}/${req.params.slug}`;
    if (typeof req.query.url === 'string' && !localUrl(req.query.url)) {
      problem(res, 400, '?url= must name a service on this machine, such as http://127.0.0.1:3102.');
      return undefined;
    }
    const base = typeof req.query.url === 'string' ? localUrl(req.query.url) : services.get(name)?.url;
    if (!base) problem(res, 404, `${name} is not running here; start it, or pass ?url=http://127.0.0.1:PORT.`);
    return base;
  };

  // The service's request events, as server-sent events. `?url=` attaches to a service started
  // elsewhere (`pnpm dev --filter …`), on this machine only.
  app.get('/api/services/:level/:slug/events', async (req, res) => {
    const base = serviceBase(req, res);
    if (!base) return;
    const upstream = new AbortController();
    res.on('close', () => upstream.abort());
    try {
      const answer = await fetch(`${base}/__hub/events`, { signal: upstream.signal, headers: { accept: 'text/event-stream' } });
      if (!answer.ok || !answer.body) return problem(res, 502, `${base}/__hub/events answered ${answer.status}.`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      Readable.fromWeb(answer.body)
        .on('error', () => res.end())
        .pipe(res);
    } catch (error) {
      if (!upstream.signal.aborted) problem(res, 502, `Cannot reach ${base}/__hub/events: ${String(error)}`);
    }
  });

  // A job's page (the request inspector's attempts), from the service that enqueued it.
  app.get('/api/services/:level/:slug/jobs/:queue/:id', async (req, res) => {
    const base = serviceBase(req, res);
    if (!base) return;
    const path = `/__hub/jobs/${encodeURIComponent(req.params.queue)}/${encodeURIComponent(req.params.id)}`;
    try {
      const answer = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
      res
        .status(answer.status)
        .type(answer.headers.get('content-type') ?? 'application/json')
        .send(await answer.text());
    } catch (error) {
      problem(res, 502, `Cannot reach ${base}${path}: ${String(error)}`);
    }
  });

  app.get('/api/services/:level/:slug/tests', async (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    res.json(boardOf(project, await services.lastTestRun(project)));
  });

  app.post('/api/services/:level/:slug/tests', async (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    try {
      res.json(boardOf(project, await services.runTests(project)));
    } catch (error) {
      problem(res, 500, String(error));
    }
  });

  // The README's exercises, each with the state of its check at the last Run (null before one).
  const exerciseRuns = new Map<string, { ranAt: string; states: Map<string, CheckState> }>();
  const exercisesView = (project: Project) => {
    const last = exerciseRuns.get(project.name);
    return {
      ranAt: last?.ranAt ?? null,
      exercises: exercisesOf(project).map(({ number, title, test, hint }) => ({
        number,
        title,
        test,
        ...(hint ? { hint } : {}),
        state: last?.states.get(resolve(project.dir, test)) ?? null,
      })),
    };
  };

  app.get('/api/services/:level/:slug/exercises', (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    res.json(exercisesView(project));
  });

  app.post('/api/services/:level/:slug/exercises', async (req, res) => {
    const project = projectOf(req);
    if (!project) return problem(res, 404, `No built service is called ${req.params.level}/${req.params.slug}.`);
    const tests = exercisesOf(project).map(({ test }) => test);
    if (tests.length === 0) return res.json(exercisesView(project));
    try {
      // As `pnpm exercise <service>` runs them, in the environment the hub's test runs get.
      const states = await runChecks([{ dir: project.dir, name: project.name, tests }], { env: testRunEnv(env) });
      exerciseRuns.set(project.name, { ranAt: new Date().toISOString(), states });
      res.json(exercisesView(project));
    } catch (error) {
      problem(res, 500, error instanceof Error ? error.message : String(error));
    }
  });

  // Whatever else goes wrong answers as problem+json too, never as Express's HTML page.
  app.use('/api', (req, res) => problem(res, 404, `No API route ${req.method} ${req.originalUrl}.`));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return res.end();
    problem(res, 500, error instanceof Error ? error.message : String(error));
  });

  const chosen = await firstFreePort(port ?? (Number(process.env.HUB_PORT) || 4000));
  const server = await new Promise<Server>((done, fail) => {
    const listening = app.listen(chosen, '127.0.0.1', (error?: Error) => (error ? fail(error) : done(listening)));
  });
  return {
    url: `http://127.0.0.1:${chosen}`,
    host: (server.address() as AddressInfo).address,
    port: chosen,
    close: async () => {
      await services.stopAll();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

const statusTitle: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** A heading's anchor as GitHub makes it: lower case, tags and punctuation dropped, spaces as dashes. */
export function slugOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z]+;|&#\d+;/g, '')
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replaceAll(' ', '-');
}

/** The URL's origin when it names this machine (127.0.0.1, localhost, ::1), else undefined. */
export function localUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    const local = LOOPBACK_HOSTNAMES.includes(url.hostname) && url.protocol === 'http:';
    return local ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
