import { accountThrottle, checkBcryptCost, createApp, mongoReady, packageInfo, redisReady } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { sessionTimeouts, type ServiceConfig } from './config.ts';
import { commandsOfClient, type RedisClient } from './redis.ts';
import { createCookieSessions } from './sessions/cookie-sessions.ts';
import { createCsrf } from './sessions/csrf.ts';
import { sessionsRoutes } from './sessions/sessions.routes.ts';
import { createSessionService } from './sessions/sessions.service.ts';
import { createSessionStore } from './sessions/session.store.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** Holds the sessions, the per-user session lists and the login counters. */
  redis: RedisClient;
  /** Starts every Redis key the service writes; tests give each file its own. */
  keyPrefix?: string;
  /** The clock session timeouts are measured with; tests move it instead of sleeping. */
  now?: () => Date;
  /** How a login slowed down by the account-wide throttle waits; tests record the wait instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The session-auth service: the shared pipeline with express-session in it, and the cookie
 * session routes at /auth. Listening is server.ts's job.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, keyPrefix = 'session-auth:', now = () => new Date(), sleep } = deps;
  const timeouts = sessionTimeouts(config);
  const store = createSessionStore({ redis, keyPrefix, timeouts });
  const sessions = createCookieSessions({ config, store, timeouts, now });
  const csrf = createCsrf({ config, maxAgeSeconds: timeouts.idleSeconds });
  const service = createSessionService({ store, timeouts, now });
  const throttle = accountThrottle({ ...config, redis: commandsOfClient(redis), keyPrefix, sleep });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    middleware: [sessions.middleware],
    routes: [['/auth', sessionsRoutes({ cost: checkBcryptCost(config), sessions, csrf, service, throttle })]],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
