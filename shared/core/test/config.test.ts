import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { authConfig, ConfigError, loadConfig } from '../src/index.ts';

/** The ConfigError loadConfig throws for `env`, or a failure when it does not throw. */
function configErrorFor(extension: Parameters<typeof loadConfig>[0], env: Record<string, string>): ConfigError {
  try {
    loadConfig(extension, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig: invalid environment', () => {
  test('when several variables are wrong at once, throws one ConfigError listing every one of them by name', () => {
    const extension = { ...authConfig, PAYMENTS_WEBHOOK_URL: z.url() };

    const error = configErrorFor(extension, { PORT: 'abc', NODE_ENV: 'staging', JWT_SECRET: 'too-short-to-sign-with' });

    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^Invalid configuration \(4 problems\):/);
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}- PORT: .+\(got "abc"\)$/),
        expect.stringMatching(/^ {2}- NODE_ENV: .+\(got "staging"\)$/),
        expect.stringMatching(/^ {2}- JWT_SECRET: must be at least 32 characters \(value hidden\)$/),
        expect.stringMatching(/^ {2}- PAYMENTS_WEBHOOK_URL: .+\(not set\)$/),
      ]),
    );
  });

  test('never prints the value of a secret-looking variable', () => {
    const secret = 'hunter2-is-my-password';
    const extension = { ...authConfig, STRIPE_API_KEY: z.string().startsWith('sk_'), DB_PASSWORD: z.string().min(40) };

    const error = configErrorFor(extension, { JWT_SECRET: secret, STRIPE_API_KEY: `pk_${secret}`, DB_PASSWORD: secret });

    expect(error.message).toContain('JWT_SECRET');
    expect(error.message).toContain('STRIPE_API_KEY');
    expect(error.message).toContain('DB_PASSWORD');
    expect(error.message).not.toContain(secret);
  });

  test('never prints a password abbreviated as PASS (SMTP_PASS, REDIS_PASS)', () => {
    const error = configErrorFor({ SMTP_PASS: z.string().min(16) }, { SMTP_PASS: 'tiny-pw-leaked' });

    expect(error.message).toContain('SMTP_PASS');
    expect(error.message).not.toContain('tiny-pw-leaked');
  });

  test('never prints credentials embedded in an invalid connection URL', () => {
    const error = configErrorFor({}, { MONGO_URL: 'mongo://admin:hunter2@db.internal:27017/app' });

    expect(error.message).toContain('MONGO_URL: must start with mongodb:// or mongodb+srv://');
    expect(error.message).not.toContain('hunter2');
  });

  test.each([
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['BODY_LIMIT', '10 megabytes'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['TRUST_PROXY', '-1'],
    ['SHUTDOWN_TIMEOUT_MS', '0'],
    ['LOG_LEVEL', 'loud'],
  ])('when %s is %j, names it as the one problem', (name, value) => {
    const error = configErrorFor({}, { [name]: value });

    expect(error.message).toMatch(/^Invalid configuration \(1 problem\):\n/);
    expect(error.message).toContain(`- ${name}: `);
    expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
  });
});

describe('loadConfig: defaults and parsing', () => {
  test('when nothing is set, applies every base default', () => {
    const config = loadConfig(undefined, { env: {} });

    expect(config).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      MONGO_TIMEOUT_MS: 2000,
      REDIS_TIMEOUT_MS: 2000,
      PORT: 3000,
      MONGO_URL: 'mongodb://127.0.0.1:27017/backend-hub',
      BODY_LIMIT: '100kb',
      CORS_ORIGINS: [],
      TRUST_PROXY: 0,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  test('coerces numbers, splits CORS origins and applies the extension defaults', () => {
    const config = loadConfig(
      { ...authConfig, PAGE_SIZE: z.coerce.number().int().default(25) },
      { env: { PORT: '8080', CORS_ORIGINS: 'https://a.example, https://b.example,,', JWT_SECRET: 's'.repeat(32), LOG_LEVEL: 'warn' } },
    );

    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.LOG_LEVEL).toBe('warn');
    expect(config.PAGE_SIZE).toBe(25);
    expect(config).toMatchObject({ JWT_ISSUER: 'backend-hub', JWT_AUDIENCE: 'backend-hub-api', JWT_ACCESS_TTL_SECONDS: 900 });
  });
});

describe('loadConfig: the .env file', () => {
  let dir: string | undefined;
  const touched: string[] = [];
  const setProcessEnv = (name: string, value: string) => {
    touched.push(name);
    process.env[name] = value;
  };

  afterEach(() => {
    for (const name of touched.splice(0)) Reflect.deleteProperty(process.env, name);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function envFile(content: string): string {
    dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
    writeFileSync(join(dir, '.env'), content);
    return dir;
  }

  const extension = {
    HUB_TEST_FROM_FILE: z.string(),
    HUB_TEST_BOTH: z.string(),
    HUB_TEST_QUOTED: z.string(),
    HUB_TEST_NUMBER: z.coerce.number(),
  };

  test('reads the .env file, and the process environment wins over it', () => {
    const folder = envFile(
      [
        '# comments and quoted values are understood',
        'HUB_TEST_FROM_FILE=from-file',
        'HUB_TEST_BOTH=from-file',
        'HUB_TEST_QUOTED="hello world"',
        'HUB_TEST_NUMBER=42',
      ].join('\n'),
    );
    setProcessEnv('HUB_TEST_BOTH', 'from-process');

    const config = loadConfig(extension, { envFile: join(folder, '.env') });

    expect(config.HUB_TEST_FROM_FILE).toBe('from-file');
    expect(config.HUB_TEST_BOTH).toBe('from-process');
    expect(config.HUB_TEST_QUOTED).toBe('hello world');
    expect(config.HUB_TEST_NUMBER).toBe(42);
  });

  test('when the .env file does not exist, reads the process environment alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
    setProcessEnv('HUB_TEST_FROM_FILE', 'a');
    setProcessEnv('HUB_TEST_BOTH', 'b');
    setProcessEnv('HUB_TEST_QUOTED', 'c');
    setProcessEnv('HUB_TEST_NUMBER', '7');

    const config = loadConfig(extension, { envFile: join(dir, '.env') });

    expect(config).toMatchObject({ HUB_TEST_FROM_FILE: 'a', HUB_TEST_BOTH: 'b', HUB_TEST_QUOTED: 'c', HUB_TEST_NUMBER: 7 });
  });

  test('with envFile: false, reads `env` alone (what testConfig relies on)', () => {
    const config = loadConfig({ HUB_TEST_FROM_FILE: z.string().default('the default') }, { env: { HOST: '0.0.0.0' }, envFile: false });

    expect(config.HUB_TEST_FROM_FILE).toBe('the default');
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('0.0.0.0');
  });

  test('an explicit `env` still wins over the .env file it is given', () => {
    const folder = envFile('HUB_TEST_FROM_FILE=from-file\nPORT=4100\nHOST=10.0.0.1\n');

    const config = loadConfig({ HUB_TEST_FROM_FILE: z.string() }, { env: { HOST: '0.0.0.0' }, envFile: join(folder, '.env') });

    expect(config).toMatchObject({ HUB_TEST_FROM_FILE: 'from-file', PORT: 4100, HOST: '0.0.0.0' });
  });

  test('an empty variable counts as not set: PORT= falls back to the default, not to port 0', () => {
    const folder = envFile('PORT=\nTRUST_PROXY=\n');

    const config = loadConfig({}, { env: { SHUTDOWN_TIMEOUT_MS: '' }, envFile: join(folder, '.env') });

    expect(config).toMatchObject({ PORT: 3000, TRUST_PROXY: 0, SHUTDOWN_TIMEOUT_MS: 10_000 });
  });

  test('a problem in the .env file is reported like one in the environment', () => {
    const folder = envFile('PORT=not-a-port\n');

    expect(() => loadConfig({}, { envFile: join(folder, '.env') })).toThrow(/PORT: .+\(got "not-a-port"\)/);
  });
});
