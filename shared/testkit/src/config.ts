import { randomBytes } from 'node:crypto';
import { loadConfig, type BaseConfig, type Config, type ConfigShape } from '@hub/core';

/**
 * A service config for tests: the same schema the service boots with, read from `env`
 * (NODE_ENV=test, a random JWT secret, bcrypt cost 4) instead of the process environment and `.env`.
 */
export function testConfig(): BaseConfig;
export function testConfig<Extra extends ConfigShape>(extension: Extra, env?: Record<string, string>): Config<Extra>;
export function testConfig(extension: ConfigShape = {}, env: Record<string, string> = {}) {
  return loadConfig(extension, { env: { ...TEST_ENV, ...env }, envFile: false });
}

/** What every test config starts from; a schema without these keys ignores them. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  // Random, made per test file: a real secret, so a test that switches to NODE_ENV=production
  // boots too, and none that anyone could copy into a deploy.
  JWT_SECRET: randomBytes(32).toString('base64url'),
  // The lowest bcrypt cost: hashing is the slowest step of a signup, and tests sign up a lot.
  BCRYPT_COST: '4',
  // A test file signs up far more accounts from 127.0.0.1 than one person would; the tests of
  // the signup limit set it back down.
  SIGNUP_MAX_PER_IP: '10000',
};
