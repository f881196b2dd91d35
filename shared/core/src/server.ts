import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { BaseConfig } from './config.ts';
import type { PipelineEvents } from './events.ts';
import { answerClientErrors } from './client-errors.ts';
import { configureLogger, logger } from './logger.ts';
import { exitOnSignals } from './signals.ts';

export interface ServerOptions {
  app: Express;
  /** PORT (0 picks a free one), HOST, SHUTDOWN_TIMEOUT_MS (how long in-flight requests may take after a stop signal), logging. */
  config: Pick<BaseConfig, 'PORT' | 'HOST' | 'SHUTDOWN_TIMEOUT_MS' | 'NODE_ENV' | 'LOG_LEVEL' | 'ALLOWED_HOSTS'>;
  /** Closes connections (MongoDB, Redis, queues) once no request is in flight, in order. */
  onClose?: Array<() => Promise<unknown>>;
  /** Stop on SIGTERM/SIGINT and exit; off in tests that start several servers in one process. */
  handleSignals?: boolean;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stop accepting, let in-flight requests finish (up to the deadline), then close dependencies. */
  stop(): Promise<void>;
}

/**
 * Listens, and shuts down gracefully: on SIGTERM or SIGINT it stops accepting connections,
 * answers /ready with 503, lets in-flight requests finish within the deadline, closes its
 * dependencies and exits 0 (1 when the deadline cut a request off). A second signal exits 1 at once.
 */
export async function startServer({ app, config, onClose = [], handleSignals = true }: ServerOptions): Promise<RunningServer> {
  configureLogger({ level: config.LOG_LEVEL, nodeEnv: config.NODE_ENV });
  const { HOST: host, SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs } = config;
  const server = answerClientErrors(app.listen(config.PORT, host));
  await once(server, 'listening');
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  let stopping: Promise<void> | undefined;
  let cutOff = false;
  const stop = () =>
    (stopping ??= (async () => {
      app.locals.shuttingDown = true;
      // A hub page's event stream never ends on its own: end it, or it holds the shutdown to the deadline.
      (app.locals.pipelineEvents as PipelineEvents | undefined)?.close();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => {
        cutOff = true;
        logger.error(`Requests still running after ${shutdownTimeoutMs} ms: closing their connections`);
        server.closeAllConnections();
      }, shutdownTimeoutMs);
      await closed;
      clearTimeout(deadline);
      for (const close of onClose) await close();
    })());

  if (handleSignals) exitOnSignals(stop, { what: 'in-flight requests', exitCode: () => (cutOff ? 1 : 0) });

  logger.info(`listening on ${url} (docs: ${url}/docs)`);
  // Failing closed (see createApp): say so once, so a deploy behind a proxy knows why it gets 421.
  if (config.NODE_ENV === 'production' && config.ALLOWED_HOSTS.length === 0) {
    logger.warn('ALLOWED_HOSTS is not set: only requests for localhost, 127.0.0.1 or [::1] are answered; any other Host gets 421');
  }
  return { server, url, stop };
}
