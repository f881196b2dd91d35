import { z } from 'zod';
import { AppError } from './errors.ts';
import { logger } from './logger.ts';
import { ApiRouter } from './router.ts';

/** A dependency check for /ready: resolves when the dependency answers, throws when not. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2_000;

export const Health = z
  .object({
    status: z.literal('ok'),
    service: z.string(),
    version: z.string(),
    uptime: z.number().describe('seconds since the process started'),
    time: z.iso.datetime(),
  })
  .meta({ id: 'Health' });

export const Readiness = z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('up')) }).meta({ id: 'Readiness' });

/**
 * `/health` answers whether the process is alive (never touches dependencies, so a slow
 * database does not get the process restarted); `/ready` answers whether it can serve
 * traffic now: every dependency answers, and it is not shutting down.
 */
export function healthRoutes({
  service,
  version,
  checks,
  isShuttingDown,
}: {
  service: string;
  version: string;
  checks: Record<string, ReadinessCheck>;
  isShuttingDown: () => boolean;
}): ApiRouter {
  return new ApiRouter('health')
    .get('/health', { summary: 'Liveness: the process is up', responses: { 200: Health } }, (_req, res) => {
      res.set('Cache-Control', 'no-store').json({
        status: 'ok',
        service,
        version,
        uptime: Math.round(process.uptime() * 1000) / 1000,
        time: new Date().toISOString(),
      });
    })
    .get('/ready', { summary: 'Readiness: every dependency answers', responses: { 200: Readiness } }, async (_req, res) => {
      if (isShuttingDown()) throw new AppError(503, 'shutting-down', 'The service is shutting down.');
      const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await settle(check)] as const));
      const down = results.filter(([, state]) => state !== 'up');
      if (down.length > 0) {
        // The reasons can name internal hosts: they go to the log, the answer names the checks.
        logger.warn(`Not ready: ${down.map(([name, state]) => `${name} ${state}`).join('; ')}`);
        throw new AppError(503, 'not-ready', `Not ready: ${down.map(([name]) => name).join(', ')} not answering.`, {
          headers: { 'Retry-After': '5' },
        });
      }
      res.set('Cache-Control', 'no-store').json({ status: 'ready', checks: Object.fromEntries(results) });
    });
}

async function settle(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch (error) {
    return `down (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    clearTimeout(timer);
  }
}
