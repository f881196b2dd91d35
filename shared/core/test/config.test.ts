import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { authConfig, ConfigError, loadConfig, secret, secretProblem } from '../src/index.ts';

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
        expect.stringMatching(
          /^ {2}- JWT_SECRET: must be at least 32 characters: make one with `openssl rand -base64 32` .+\(value hidden\)$/,
        ),
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
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      MONGO_TIMEOUT_MS: 2000,
      REDIS_TIMEOUT_MS: 2000,
      PORT: 3000,
      MONGO_URL: 'mongodb://127.0.0.1:27017/backend-hub',
      BODY_LIMIT: '100kb',
      CORS_ORIGINS: [],
      ALLOWED_HOSTS: [],
      TRUST_PROXY: 0,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  test('coerces numbers, splits CORS origins and allowed hosts, and applies the extension defaults', () => {
    const config = loadConfig(
      { ...authConfig, PAGE_SIZE: z.coerce.number().int().default(25) },
      {
        env: {
          PORT: '8080',
          CORS_ORIGINS: 'https://a.example, https://b.example,,',
          ALLOWED_HOSTS: 'api.example.com, [2001:db8::1]',
          JWT_SECRET: randomBytes(32).toString('base64'),
          LOG_LEVEL: 'warn',
        },
      },
    );

    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.ALLOWED_HOSTS).toEqual(['api.example.com', '[2001:db8::1]']);
    expect(config.LOG_LEVEL).toBe('warn');
    expect(config.PAGE_SIZE).toBe(25);
    expect(config).toMatchObject({ JWT_ISSUER: 'backend-hub', JWT_ACCESS_TTL_SECONDS: 900 });
    // No shared default: createAccounts() uses the service's name.
    expect(config.JWT_AUDIENCE).toBeUndefined();
  });

  test.each(['https://api.example.com', 'api.example.com:443', '*.example.com'])(
    'refuses an ALLOWED_HOSTS entry that is not a bare host name (%s)',
    (entry) => {
      expect(() => loadConfig({}, { env: { ALLOWED_HOSTS: entry }, envFile: false })).toThrow(
        `ALLOWED_HOSTS: must list host names, without port or scheme (got ${JSON.stringify(entry)})`,
      );
    },
  );
});

describe('loadConfig: secrets in production', () => {
  const secretKeys = { ...authConfig, SESSION_SECRET: secret(z.string().min(32)), LOGS_READ_KEY: secret(z.string().min(16)).optional() };
  const strong = () => randomBytes(32).toString('base64');
  const production = (env: Record<string, string>) => loadConfig(secretKeys, { env: { NODE_ENV: 'production', ...env }, envFile: false });

  test('an unset NODE_ENV is production, so the placeholder of the old .env.example files stops the boot', () => {
    const error = configErrorFor(authConfig, { JWT_SECRET: 'change-me-to-at-least-32-random-characters' });

    expect(error.message).toBe(
      'Invalid configuration (1 problem):\n' +
        '  - JWT_SECRET: is a placeholder, not a secret: make one with `openssl rand -base64 32` or ' +
        "`node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"` (value hidden)",
    );
  });

  const refused: Array<[string, string, RegExp]> = [
    ["the test kit's old readable key", 'test-secret-that-is-at-least-32-characters-long', /is a placeholder/],
    ['a phrase with a placeholder word', 'replace-this-with-something-long-and-random', /is a placeholder/],
    ['a typed kebab-case phrase', 'my-super-long-jwt-signing-key-for-production-use-2024', /looks typed or patterned/],
    ['one character repeated', 'a'.repeat(64), /looks typed or patterned/],
    ['the alphabet in order', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', /looks typed or patterned/],
    ['a hex pattern', 'deadbeef'.repeat(8), /looks typed or patterned/],
    ['counting in hex', '0123456789abcdef'.repeat(4), /looks typed or patterned/],
    ['24 random bytes (too few)', randomBytes(24).toString('base64'), /holds 24 bytes; production needs at least 32/],
    ['24 random bytes as hex (48 characters, too few)', randomBytes(24).toString('hex'), /holds 24 bytes/],
    ['a passphrase with spaces', 'correct horse battery staple, said the admin', /must be 32 random bytes written as base64 or hex/],
  ];

  test.each(refused)('refuses %s, naming the key and how to make a secret, without printing the value', (_case, value, reason) => {
    const error = configErrorFor(authConfig, { NODE_ENV: 'production', JWT_SECRET: value });

    expect(error.message).toMatch(reason);
    expect(error.message).toContain('  - JWT_SECRET: ');
    expect(error.message).toContain('openssl rand -base64 32');
    expect(error.message).toContain("randomBytes(32).toString('base64')");
    expect(error.message).toMatch(/\(value hidden\)$/);
    expect(error.message).not.toContain(value);
  });

  test('checks every key marked secret(), all in one error, and only those', () => {
    const error = configErrorFor(
      { ...secretKeys, SMTP_PASS: z.string() },
      {
        NODE_ENV: 'production',
        JWT_SECRET: strong(),
        SESSION_SECRET: 'change-me-to-at-least-32-random-characters',
        LOGS_READ_KEY: 'change-me-to-16-or-more-chars',
        // A credential someone else issued: hidden like any password, but its form is not ours to judge.
        SMTP_PASS: 'provider-chosen',
        // Not a key the service reads: whatever else the process environment holds is not judged.
        GITHUB_TOKEN: 'weak',
      },
    );

    expect(error.message).toMatch(/^Invalid configuration \(2 problems\):/);
    expect(error.message).toMatch(/- SESSION_SECRET: is a placeholder/);
    expect(error.message).toMatch(/- LOGS_READ_KEY: is a placeholder/);
    expect(error.message).not.toMatch(/JWT_SECRET|GITHUB_TOKEN|SMTP_PASS/);
  });

  test('a missing secret, or one the schema refused, is named once, with how to make one', () => {
    const missing = configErrorFor(authConfig, { NODE_ENV: 'production' });
    const short = configErrorFor(authConfig, { NODE_ENV: 'development', JWT_SECRET: 'too-short' });

    expect(missing.message).toMatch(
      /^Invalid configuration \(1 problem\):\n {2}- JWT_SECRET: .+: make one with `openssl rand -base64 32` .+\(not set\)$/,
    );
    expect(short.message).toMatch(
      /^Invalid configuration \(1 problem\):\n {2}- JWT_SECRET: must be at least 32 characters: make one with `openssl rand .+\(value hidden\)$/,
    );
  });

  test('a marked secret is never printed, whatever its name', () => {
    const error = configErrorFor({ SIGNING_MATERIAL: secret(z.string().min(40)) }, { SIGNING_MATERIAL: 'visible-if-not-marked' });

    expect(error.message).toContain('SIGNING_MATERIAL');
    expect(error.message).not.toContain('visible-if-not-marked');
  });

  test('accepts what the documented commands make: 32 random bytes as base64, base64url or hex', () => {
    const base64 = strong();
    const config = production({
      JWT_SECRET: base64,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOGS_READ_KEY: randomBytes(48).toString('base64url'),
    });

    expect(config.JWT_SECRET).toBe(base64);
  });

  test('random output passes: 2,000 fresh secrets of each form are all accepted', () => {
    const forms = [
      () => randomBytes(32).toString('base64'),
      () => randomBytes(32).toString('base64url'),
      () => randomBytes(32).toString('hex'),
      () => randomBytes(48).toString('base64url'),
    ];
    const problems = forms.flatMap((form) => Array.from({ length: 2_000 }, form).flatMap((value) => secretProblem(value) ?? []));

    expect(problems).toEqual([]);
  });

  test.each(['development', 'test'])('under NODE_ENV=%s, any secret of 32 characters or more is accepted', (mode) => {
    const placeholder = 'change-me-to-at-least-32-random-characters';

    const config = loadConfig(secretKeys, {
      env: { NODE_ENV: mode, JWT_SECRET: placeholder, SESSION_SECRET: placeholder },
      envFile: false,
    });

    expect(config.JWT_SECRET).toBe(placeholder);
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
