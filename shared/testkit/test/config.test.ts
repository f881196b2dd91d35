import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { accountConfig, authConfig, ConfigError } from '@hub/core';
import { TEST_ENV, testConfig } from '../src/index.ts';

describe('testConfig()', () => {
  test('is the base config under NODE_ENV=test, with every default', () => {
    expect(testConfig()).toMatchObject({ NODE_ENV: 'test', PORT: 3000, HOST: '127.0.0.1', BODY_LIMIT: '100kb', CORS_ORIGINS: [] });
  });

  test('takes an extension and overrides, through the same schema the service boots with', () => {
    const secret = randomBytes(32).toString('hex');

    const config = testConfig(authConfig, { JWT_SECRET: secret, NODE_ENV: 'production', PORT: '0' });

    expect(config).toMatchObject({ NODE_ENV: 'production', PORT: 0, JWT_SECRET: secret, JWT_ISSUER: 'backend-hub' });
  });

  test('supplies a test JWT secret and the lowest bcrypt cost, so auth services boot in tests', () => {
    expect(testConfig(accountConfig)).toMatchObject({ JWT_SECRET: TEST_ENV.JWT_SECRET, BCRYPT_COST: 4 });
  });

  test('its JWT secret is random, so a test can boot a service as production with it (and nobody can deploy with it)', () => {
    expect(Buffer.from(TEST_ENV.JWT_SECRET, 'base64url')).toHaveLength(32);
    expect(testConfig(accountConfig, { NODE_ENV: 'production', BCRYPT_COST: '10' })).toMatchObject({ NODE_ENV: 'production' });
  });

  test('fails like the service would when a required variable is missing', () => {
    expect(() => testConfig(authConfig, { JWT_SECRET: '' })).toThrow(ConfigError);
    expect(() => testConfig(authConfig, { JWT_SECRET: '' })).toThrow(/JWT_SECRET: .*\(not set\)/);
  });

  test('ignores the process environment and a .env file in the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-testconfig-'));
    const cwd = process.cwd();
    writeFileSync(join(dir, '.env'), 'PORT=4321\nBODY_LIMIT=1mb\n');
    process.env.BODY_LIMIT = '2mb';
    try {
      process.chdir(dir);
      expect(testConfig()).toMatchObject({ PORT: 3000, BODY_LIMIT: '100kb' });
    } finally {
      process.chdir(cwd);
      delete process.env.BODY_LIMIT;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
