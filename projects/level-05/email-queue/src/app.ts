import { commandsOf, createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import { idempotent } from '@hub/core/idempotency';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { deadLettersRoutes } from './dead-letters/dead-letters.routes.ts';
import { emailsRoutes } from './emails/emails.routes.ts';
import type { EmailQueue } from './emails/emails.service.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The signup/login limits and the Idempotency-Keys live here. */
  redis: Redis;
  /** The producer side of the emails queue (emailQueue(config)); the worker process consumes it. */
  queue: EmailQueue;
}

/**
 * The email-queue service: the shared accounts at /auth, submitting and reading emails at
 * /emails (202: a worker process sends them), the dead letters at /dead-letters. It never
 * listens: server.ts does that.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, queue } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  const idempotency = idempotent({ redis, prefix: 'email-queue:idempotency:', ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/emails', emailsRoutes({ access, queue, idempotent: idempotency })],
      ['/dead-letters', deadLettersRoutes({ access, queue })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
