import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'http', 'verbose', 'debug'] as const;

/** Every service reads these. A project adds its own keys with `loadConfig({ ...extension })`. */
export const baseConfig = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on; 0.0.0.0 inside a container'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional().describe('default: http, or silent under test'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://127.0.0.1:27017/backend-hub'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 100kb or 1mb').default('100kb'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
    .describe('comma-separated origins allowed to call the API from a browser; empty means none'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0).describe('number of proxy hops in front of the app'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/** Keys a service that issues or checks JWT access tokens adds to its config. */
export const authConfig = {
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('backend-hub'),
  JWT_AUDIENCE: z.string().min(1).default('backend-hub-api'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
};

export type ConfigShape = Record<string, z.ZodType>;
export type Config<Extra extends ConfigShape = ConfigShape> = z.output<z.ZodObject<typeof baseConfig & Extra>>;
export type BaseConfig = Config<Record<never, z.ZodType>>;

const SECRET = /secret|password|token|key/i;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the environment once at boot: the process environment wins over `.env` in `dir`.
 * Throws a ConfigError listing every missing or invalid variable, never just the first.
 */
export function loadConfig<Extra extends ConfigShape = Record<never, z.ZodType>>(
  extension?: Extra,
  { env = process.env, dir = process.cwd() }: { env?: NodeJS.ProcessEnv; dir?: string } = {},
): Config<Extra> {
  const envFile = resolve(dir, '.env');
  const fromFile = env === process.env && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const input = { ...fromFile, ...env };
  const schema = z.object({ ...baseConfig, ...extension });
  const result = schema.safeParse(input);
  if (result.success) return result.data as Config<Extra>;

  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const value = input[key];
    const shown = value === undefined ? 'not set' : SECRET.test(key) ? 'value hidden' : `got ${JSON.stringify(value)}`;
    return `  - ${key}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(`Invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
}
