import { logger } from './logger.ts';

/**
 * A process's way out, the same for a server and a worker: on SIGTERM or SIGINT it calls `stop`
 * (finish what is in flight, close dependencies) and exits with `exitCode()` (0 unless the stop
 * had to cut work off); a second signal exits 1 at once. An uncaught exception or an unhandled
 * rejection is logged, then stops the process the same way, with code 1.
 */
export function exitOnSignals(stop: () => Promise<void>, { what, exitCode }: { what: string; exitCode: () => number }): void {
  const exitAfterStop = (reason: string, code: number) => {
    logger.info(`${reason}: finishing ${what}, then exiting`);
    stop().then(
      () => process.exit(code === 0 ? exitCode() : code),
      (error: unknown) => {
        logger.error('Shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.once(signal, () => process.exit(1));
      exitAfterStop(signal, 0);
    });
  }
  process.once('uncaughtException', (error) => {
    logger.error('Uncaught exception', { error });
    exitAfterStop('uncaughtException', 1);
  });
  process.once('unhandledRejection', (error) => {
    logger.error('Unhandled rejection', { error });
    exitAfterStop('unhandledRejection', 1);
  });
}
