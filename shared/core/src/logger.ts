import winston from 'winston';
import { currentRequest, inspectorSwitch } from './context.ts';
import { isSecretKey } from './secrets.ts';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug';
export type LogFormat = 'pretty' | 'json';

export const REDACTED = '[REDACTED]';

/**
 * A copy of `value` with every secret-looking key's value replaced by [REDACTED]
 * (authorization, cookie, password, token, secret, api key…), at any depth.
 */
export function redact<T>(value: T, ancestors?: WeakSet<object>): T {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  ancestors ??= new WeakSet<object>(); // made only for objects: most logged values are not
  if (ancestors.has(value)) return '[Circular]' as T;
  // An Error's message and stack are not enumerable: copy them, or JSON logs print {}.
  const source: object =
    value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause } : value;
  ancestors.add(value);
  try {
    if (Array.isArray(source)) return source.map((item: unknown) => redact(item, ancestors)) as T;
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(source)) {
      if (inner !== undefined) copy[key] = isSecretKey(key) ? REDACTED : redact(inner, ancestors);
    }
    return copy as T;
  } finally {
    // Only an object that contains itself is circular; one referenced twice is not.
    ancestors.delete(value);
  }
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

// While the request inspector is on (development), each line is also kept in its request's record.
const keepForInspector = winston.format((info) => {
  currentRequest()?.inspection?.log(info);
  return info;
});

function formatFor(format: LogFormat): winston.Logform.Format {
  const common = [winston.format.errors({ stack: true }), addRequestId(), redactSecrets()];
  if (inspectorSwitch.on) common.push(keepForInspector());
  return format === 'json'
    ? winston.format.combine(...common, winston.format.timestamp(), winston.format.json())
    : winston.format.combine(...common, winston.format.timestamp({ format: 'HH:mm:ss.SSS' }), winston.format.colorize(), pretty);
}

function defaults(env: NodeJS.ProcessEnv = process.env): { level: LogLevel; format: LogFormat } {
  const level = (env.LOG_LEVEL as LogLevel | undefined) ?? (env.NODE_ENV === 'test' ? 'silent' : 'http');
  // Like the config: an unset NODE_ENV is production.
  return { level, format: (env.NODE_ENV || 'production') === 'production' ? 'json' : 'pretty' };
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

let configured = defaults();

/** Applies the level and format a service's config asks for. */
export function configureLogger({ level, nodeEnv }: { level?: LogLevel | undefined; nodeEnv: string }): void {
  const fallback = defaults({ NODE_ENV: nodeEnv });
  configured = { level: level ?? fallback.level, format: fallback.format };
  logger.configure(options(configured));
}

/** Builds the format again, with or without the inspector's (inspectRequests() calls it). */
export function refreshLoggerFormat(): void {
  logger.format = formatFor(configured.format);
}
