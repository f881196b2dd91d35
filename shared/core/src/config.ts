import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { HOW_TO_MAKE_A_SECRET, isSecretKey, maskUrlCredentials, secretProblem } from './secrets.ts';

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'http', 'verbose', 'debug'] as const;

/** A database that stops answering fails the request after this long instead of hanging it (see db.ts). */
export const DEFAULT_MONGO_TIMEOUT_MS = 2_000;
export const DEFAULT_REDIS_TIMEOUT_MS = 2_000;

const redisUrl = z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://');
const commaList = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const SECRETS = new WeakSet<z.ZodType>();

/**
 * Marks a config key as a secret this service owns: a key it signs with or an API key it hands
 * out (JWT_SECRET, SESSION_SECRET, LOGS_READ_KEY). In production loadConfig refuses one that is
 * not 32 random bytes (secretProblem), and whenever it refuses one it says how to make one.
 * Leave a credential someone else issues (an SMTP password, a payment provider's key) unmarked:
 * its form is theirs. Either way, a value named like a secret is never printed (isSecretKey).
 */
export function secret<T extends z.ZodType>(schema: T): T {
  SECRETS.add(schema);
  return schema;
}

/** Is `schema` marked with secret(), itself or inside .optional()/.default()? */
function isMarkedSecret(schema: z.ZodType | undefined): boolean {
  for (let current = schema; current; current = (current._zod.def as { innerType?: z.ZodType }).innerType) {
    if (SECRETS.has(current)) return true;
  }
  return false;
}

/** Every service reads these. A project adds its own keys with `loadConfig({ ...extension })`. */
export const baseConfig = {
  // Unset means production: a forgotten NODE_ENV then hides error details and demands real
  // secrets, instead of opening the development conveniences. `pnpm dev` sets development and
  // the test kit sets test.
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('production')
    .describe('production when unset; pnpm dev sets development, the tests set test'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on; 0.0.0.0 inside a container'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional().describe('default: http, or silent under test'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://127.0.0.1:27017/backend-hub'),
  REDIS_URL: redisUrl.optional(),
  MONGO_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(DEFAULT_MONGO_TIMEOUT_MS)
    .describe('how long a MongoDB command may go unanswered before the request fails with 503 (a retried read or write: up to 3x this)'),
  REDIS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(DEFAULT_REDIS_TIMEOUT_MS)
    .describe('how long a Redis command may go unanswered before the request fails with 503'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 100kb or 1mb')
    .default('100kb'),
  CORS_ORIGINS: commaList.describe('comma-separated origins allowed to call the API from a browser; empty means none'),
  ALLOWED_HOSTS: commaList
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, 'must list host names, without port or scheme')))
    .describe('comma-separated names the service answers to besides localhost, 127.0.0.1 and [::1]; any other Host gets 421'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0).describe('number of proxy hops in front of the app'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/** Keys a service that issues or checks JWT access tokens adds to its config. */
export const authConfig = {
  JWT_SECRET: secret(
    z
      .string()
      .min(32, 'must be at least 32 characters')
      .describe('signs the access tokens; in production 32 random bytes as base64 or hex: openssl rand -base64 32'),
  ),
  JWT_ISSUER: z.string().min(1).default('backend-hub'),
  JWT_AUDIENCE: z
    .string()
    .min(1)
    .optional()
    .describe("the aud claim tokens carry and must carry; default: the service's name, so no other service's token is accepted"),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
};

/** Keys a service that mounts the shared accounts (signup, login, /me) adds to its config. */
export const accountConfig = {
  ...authConfig,
  BCRYPT_COST: z.coerce
    .number()
    .int()
    .min(4)
    .max(15)
    .default(12)
    .describe('bcrypt cost factor (rounds = 2^cost); at least 10 in production'),
};

/** For a service that cannot run without Redis: REDIS_URL becomes required, with the compose default. */
export const redisConfig = {
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
};

/**
 * Keys a service that throttles its accounts adds (counters in Redis): login failures per
 * account and client IP, an account-wide slowdown, login attempts per IP, signups per IP.
 */
export const loginLimitConfig = {
  LOGIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('failed logins per account from one client IP per window; then that IP gets 429 for that account'),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100).describe('login attempts per client IP per window before 429'),
  LOGIN_SLOWDOWN_AFTER: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .describe('failed logins per account from all IPs per window; each attempt after them waits 1 s longer than the last'),
  LOGIN_MAX_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(10_000)
    .describe('the longest wait the account-wide slowdown adds'),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('the window every login limit counts in'),
  SIGNUP_MAX_PER_IP: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .describe('signups per client IP per window before 429 (every attempt counts, bad ones too)'),
  SIGNUP_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600).describe('the window the signup limit counts in'),
};

/** Keys a service that hands out rotating refresh tokens adds. */
export const refreshTokenConfig = {
  REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(14 * 86_400)
    .describe('how long an unused refresh token stays valid'),
  REFRESH_FAMILY_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .max(365 * 86_400)
    .default(30 * 86_400)
    .describe('how long one login can be kept alive by refreshing, however often; then the user signs in again (default 30 days)'),
};

export type ConfigShape = Record<string, z.ZodType>;
/** A service's parsed config: the base keys, with the extension's keys added or (REDIS_URL) overriding them. */
export type Config<Extra extends ConfigShape = ConfigShape> = z.output<z.ZodObject<Omit<typeof baseConfig, keyof Extra> & Extra>>;
export type BaseConfig = Config<Record<never, z.ZodType>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadOptions {
  /** Where variables come from (default: the process environment). */
  env?: NodeJS.ProcessEnv;
  /** A .env file read under `env` (it wins), or false for none (default: .env in the working folder). */
  envFile?: string | false;
}

/**
 * Reads the environment once at boot: `env` (the process environment) wins over the .env file.
 * An empty variable counts as not set, so `PORT=` falls back to the default instead of 0.
 * In production a key marked secret() must hold a real secret (secretProblem: 32 random bytes
 * as base64 or hex, no placeholder). Throws a ConfigError listing every missing or invalid
 * variable, never just the first, and never prints a secret's value or a password inside a URL.
 */
export function loadConfig<Extra extends ConfigShape = Record<never, z.ZodType>>(
  extension?: Extra,
  { env = process.env, envFile = resolve(process.cwd(), '.env') }: LoadOptions = {},
): Config<Extra> {
  const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const input = Object.fromEntries(Object.entries({ ...fromFile, ...env }).filter(([, value]) => value !== '' && value !== undefined));
  const shape: ConfigShape = { ...baseConfig, ...extension };
  const schema = z.object(shape);
  const result = schema.safeParse(input);
  const problems = result.success ? [] : result.error.issues.map((issue) => ({ key: String(issue.path[0]), message: issue.message }));
  // A per-key schema cannot see NODE_ENV, so the production check of secrets runs here, on the
  // keys the schema knows (not every variable of the process), and not twice for one key.
  const secrets = Object.keys(shape).filter((key) => isMarkedSecret(shape[key]));
  const production = (result.success ? result.data.NODE_ENV : (input.NODE_ENV ?? 'production')) === 'production';
  for (const key of production ? secrets : []) {
    const value = input[key];
    const problem = value !== undefined && !problems.some((known) => known.key === key) && secretProblem(value);
    if (problem) problems.push({ key, message: problem });
  }
  if (result.success && problems.length === 0) return result.data as unknown as Config<Extra>;

  const lines = problems.map(({ key, message }) => {
    const value = input[key];
    const isSecret = secrets.includes(key);
    const shown =
      value === undefined ? 'not set' : isSecret || isSecretKey(key) ? 'value hidden' : `got ${JSON.stringify(maskUrlCredentials(value))}`;
    return `  - ${key}: ${message}${isSecret ? `: ${HOW_TO_MAKE_A_SECRET}` : ''} (${shown})`;
  });
  throw new ConfigError(`Invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
}
