import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { BaseConfig } from './config.ts';
import { requestContext } from './context.ts';
import { AppError, answerNotFound, handleErrors } from './errors.ts';
import { createPipelineEvents, HUB_PREFIX, hubRoutes } from './events.ts';
import { healthRoutes, type ReadinessCheck } from './health.ts';
import { inspectedRequest, Inspection, isInspecting } from './inspector.ts';
import { hostAllowlist, hostnameOf } from './hosts.ts';
import { logRequests } from './request-log.ts';
import { buildOpenApi, docsRoutes } from './openapi.ts';
import type { ApiRouter } from './router.ts';
import { Timings, timingsOf } from './timing.ts';

export interface AppOptions {
  /** Service name (its package name, e.g. level-01/counter): in /health, logs and /docs. */
  name: string;
  version: string;
  description?: string;
  config: Pick<BaseConfig, 'NODE_ENV' | 'BODY_LIMIT' | 'CORS_ORIGINS' | 'TRUST_PROXY' | 'ALLOWED_HOSTS'>;
  /** The service's routers and where they are mounted: [['/counters', counterRoutes]]. */
  routes: Array<[string, ApiRouter]>;
  /** Dependencies /ready checks, by name. */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * The service's own middleware, run for every request after body parsing and before any
   * route. An error middleware (four arguments) here sees requests whose body was refused.
   */
  middleware?: Array<RequestHandler | ErrorRequestHandler>;
  /**
   * Publish each request's trip through the pipeline for the hub page (`GET /__hub/events`,
   * see events.ts). Default: on in development only; tests and the bench turn it on here.
   */
  events?: boolean;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Builds a service's Express app with the shared pipeline, in this order:
 * request id and log → security headers → Host check → CORS → body limit → request context →
 * (development: the hub's /__hub/events) → the service's own middleware → health, docs,
 * the service's routes → 404 → problem+json error handler.
 * It never listens: startServer() does that, tests use supertest.
 */
export function createApp(options: AppOptions): Express {
  const { config, routes } = options;
  const development = config.NODE_ENV === 'development';
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');
  app.locals.shuttingDown = false;
  // Decided once, here: outside development no emitter exists, so no request ever builds an event.
  const events = (options.events ?? development) ? createPipelineEvents() : undefined;
  if (events) app.locals.pipelineEvents = events;

  app.use(assignRequestId);
  // Logged from the first middleware on, so requests refused by body parsing get their line too
  // (and, in development, published as pipeline events from the same facts).
  app.use(logRequests(events));
  // Plain-http localhost must keep loading /docs assets: upgrade-insecure-requests is for production.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: production ? [] : null } } }));
  // Before anything that reads or answers: a DNS-rebinding page must not get events, docs or data.
  app.use(refuseOtherHosts(config.ALLOWED_HOSTS));
  app.use(cors({ origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false }));
  app.use(express.json({ limit: config.BODY_LIMIT }));
  // With the events and the inspector on (development), each request also gets its inspection record.
  app.use(events && isInspecting() ? runInInspectedContext : runInRequestContext);
  // Before the service's own middleware, so a page watching the events is not one of its requests.
  if (events) app.use(HUB_PREFIX, hubRoutes(events));
  for (const middleware of options.middleware ?? []) app.use(middleware);
  app.use(startHandlerClock);

  const health = healthRoutes({
    service: options.name,
    version: options.version,
    checks: options.readiness ?? {},
    isShuttingDown: () => app.locals.shuttingDown === true,
  });
  app.use(health.build());
  const documented: Array<[string, ApiRouter]> = [['', health], ...routes];
  app.use(docsRoutes(buildOpenApi({ title: options.name, version: options.version, description: options.description ?? '' }, documented)));
  for (const [prefix, router] of routes) app.use(prefix, router.build());

  app.use(answerNotFound);
  app.use(handleErrors({ development }));
  return app;
}

/**
 * 421 Misdirected Request for a Host that is not this machine's loopback name nor in
 * ALLOWED_HOSTS. The raw Host header, never X-Forwarded-Host: with TRUST_PROXY set, that one is
 * whatever the client wrote, and a rebinding page can set headers on its own requests.
 */
function refuseOtherHosts(allowed: readonly string[]): RequestHandler {
  const isAllowed = hostAllowlist(allowed);
  return (req, _res, next) => {
    const host = req.headers.host;
    if (isAllowed(host)) return next();
    const name = host === undefined ? undefined : hostnameOf(host);
    const named = name === undefined ? 'A request without a valid Host header' : `The host ${name}`;
    next(
      new AppError(
        421,
        'misdirected-request',
        `${named} is not served here: use localhost, 127.0.0.1 or [::1], or a name listed in ALLOWED_HOSTS.`,
        { stage: 'host' },
      ),
    );
  };
}

/** X-Request-Id: the caller's when it looks like an id, a fresh UUID otherwise. */
const assignRequestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const timings = new Timings();
  Object.assign(res.locals, { requestId, timings });
  res.setHeader('X-Request-Id', requestId);
  // Headers are final only when the first byte goes out: stamp the timings (and, while
  // shutting down, close the connection after this response) at that moment.
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithTimings(this: typeof res, ...args: Parameters<typeof writeHead>) {
    timings.finish();
    if (!this.headersSent) {
      this.setHeader('Server-Timing', timings.header());
      if (req.app.locals.shuttingDown === true) this.setHeader('Connection', 'close');
    }
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
};

// After body parsing: stream callbacks there would lose the async context.
const runInRequestContext: RequestHandler = (_req, res, next) => {
  requestContext.run({ requestId: String(res.locals.requestId), timings: timingsOf(res) }, next);
};

const runInInspectedContext: RequestHandler = (req, res, next) => {
  const timings = timingsOf(res);
  const inspection = new Inspection(timings, inspectedRequest(req));
  res.locals.inspection = inspection;
  requestContext.run({ requestId: String(res.locals.requestId), timings, inspection }, next);
};

const startHandlerClock: RequestHandler = (_req, res, next) => {
  timingsOf(res).enterHandler();
  next();
};
