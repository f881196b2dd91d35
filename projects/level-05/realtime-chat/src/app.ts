import { createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { clientRoutes } from './client/client.routes.ts';
import type { ServiceConfig } from './config.ts';
import { permissions } from './permissions.ts';
import { roomsRoutes } from './rooms/rooms.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The socket.io adapter and presence (attachChat); /ready checks it. */
  redis: Redis;
}

/** The shared accounts: their router, and the token service the socket handshake checks too. */
export const accountsOf = (config: ServiceConfig) => createAccounts(config, { service: packageInfo(import.meta.url).name });

/**
 * The REST half of the service: the shared accounts at /auth, /rooms (create, list, add a
 * member, history), and the browser client at /. The socket half is attachChat(), on the
 * server this app listens with.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = accountsOf(config);
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/rooms', roomsRoutes({ access })],
      ['', clientRoutes()],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
