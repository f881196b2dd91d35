import winston from 'winston';
import { currentRequest } from './context.ts';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug';
export type LogFormat = 'pretty' | 'json';

export const REDACTED = '[REDACTED]';

// A key is split into words (accessToken → access, token; x-api-key → x, api, key) and judged
// by them, so `passwordHash`, `JWT_SECRET` and `x-logs-key` are secrets while `passport`,
// `monkey` and `sessionCount` are not.
const SECRET_WORDS = new Set(
  ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'cookie', 'credential', 'apikey', 'signature'].flatMap((word) => [word, `${word}s`]),
);
const SECRET_LAST_WORDS = new Set(['key', 'hash', 'pass', 'sid', 'otp']);

/** True for a key whose value must never be logged. */
export function isSecretKey(key: string): boolean {
  const words = key.split(/[^a-zA-Z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean).map((word) => word.toLowerCase());
  const last = words.at(-1) ?? '';
  return (
    words.some((word) => SECRET_WORDS.has(word)) ||
    SECRET_LAST_WORDS.has(last) ||
    (words.includes('session') && (words.length === 1 || last === 'id'))
  );
}

/**
 * A copy of `value` with every secret-looking key's value replaced by [REDACTED]
 * (authorization, cookie, password, token, secret, api key…), at any depth.
 */
export function redact<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object' || value instanceof Error || value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redact(item, seen)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = isSecretKey(key) ? REDACTED : redact(inner, seen);
  return copy as T;
}

const redactSecrets = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'message' || key === 'level') continue;
    info[key] = isSecretKey(key) ? REDACTED : redact(info[key]);
  }
  return info;
});

const addRequestId = winston.format((info) => {
  info.requestId ??= currentRequest()?.requestId;
  return info;
});

// `http` holds the structured copy of a request line's summary, which the message already says.
const pretty = winston.format.printf(({ level, message, timestamp, requestId, stack, http: _http, ...meta }) => {
  const id = typeof requestId === 'string' ? ` [${requestId.slice(0, 8)}]` : '';
  const rest = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
  return `${String(timestamp)} ${level}${id} ${String(message)}${rest}${stack ? `\n${String(stack)}` : ''}`;
});

function formatFor(format: LogFormat): winston.Logform.Format {
  const common = [winston.format.errors({ stack: true }), addRequestId(), redactSecrets()];
  return format === 'json'
    ? winston.format.combine(...common, winston.format.timestamp(), winston.format.json())
    : winston.format.combine(...common, winston.format.timestamp({ format: 'HH:mm:ss.SSS' }), winston.format.colorize(), pretty);
}

function defaults(env: NodeJS.ProcessEnv = process.env): { level: LogLevel; format: LogFormat } {
  const level = (env.LOG_LEVEL as LogLevel | undefined) ?? (env.NODE_ENV === 'test' ? 'silent' : 'http');
  return { level, format: env.NODE_ENV === 'production' ? 'json' : 'pretty' };
}

function options({ level, format }: { level: LogLevel; format: LogFormat }): winston.LoggerOptions {
  return {
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    format: formatFor(format),
    transports: [new winston.transports.Console()],
  };
}

/**
 * The one logger services use (never winston directly): pretty in development, JSON in
 * production, secrets redacted, each line tagged with the current request id.
 */
export const logger: winston.Logger = winston.createLogger(options(defaults()));

/** Applies the level and format a service's config asks for. */
export function configureLogger({ level, nodeEnv }: { level?: LogLevel | undefined; nodeEnv: string }): void {
  const fallback = defaults({ NODE_ENV: nodeEnv });
  logger.configure(options({ level: level ?? fallback.level, format: fallback.format }));
}
