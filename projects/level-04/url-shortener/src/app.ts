import {
  commandsOf,
  createAccess,
  createAccounts,
  createApp,
  LOOPBACK_HOSTNAMES,
  mongoReady,
  packageInfo,
  redisReady,
  type Redis,
} from '@hub/core';
import { createCache } from '@hub/core/cache';
import { systemResolve, type Resolve } from '@hub/core/url-safety';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { createClickRecorder, type ClickRecorder } from './clicks/click-recorder.ts';
import type { ServiceConfig } from './config.ts';
import { randomCode } from './links/codes.ts';
import { linksRoutes } from './links/links.routes.ts';
import { createLinkService, type CachedLink } from './links/links.service.ts';
import { permissions } from './permissions.ts';
import { redirectsRoutes } from './redirects/redirects.routes.ts';
import { createRedirectService } from './redirects/redirects.service.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The redirect cache and the signup/login counters. */
  redis: Redis;
  /** Where clicks wait to be written; server.ts stops it on shutdown, tests flush it by hand. */
  clicks?: ClickRecorder;
  /** The clock expiry is judged by; tests move it. */
  now?: () => Date;
  /** How a target's host is resolved (dns.lookup); tests answer from a table, without a network. */
  resolve?: Resolve;
  /** Makes a random code; tests force collisions with it. */
  newCode?: () => string;
  /** How a login slowed down by the account-wide throttle waits; tests record the wait instead. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The url-shortener: the shared accounts at /auth, the owner's links at /links, and the public
 * redirect at /:code (mounted last, so /health, /docs, /auth and /links are never codes).
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, now = () => new Date(), resolve = systemResolve, newCode = () => randomCode(), sleep } = deps;
  const clicks = deps.clicks ?? createClickRecorder({ flushEveryMs: config.CLICK_FLUSH_MS, batchSize: config.CLICK_BATCH_SIZE });
  const cache = createCache<CachedLink>(redis, {
    prefix: 'url-shortener:link:',
    ttlSeconds: config.CACHE_TTL_SECONDS,
    missTtlSeconds: config.CACHE_MISS_TTL_SECONDS,
  });
  const ownHosts = [new URL(config.PUBLIC_BASE_URL).hostname, ...LOOPBACK_HOSTNAMES, ...config.ALLOWED_HOSTS];
  const links = createLinkService({ cache, now, resolve, newCode, baseUrl: config.PUBLIC_BASE_URL, ownHosts });
  const redirects = createRedirectService({ cache, clicks, now });
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis), sleep } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/links', linksRoutes({ access, links })],
      ['', redirectsRoutes({ redirects })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
