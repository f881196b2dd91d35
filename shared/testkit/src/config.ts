import { loadConfig, type BaseConfig, type Config, type ConfigShape } from '@hub/core';

/**
 * A service config for tests: the same schema the service boots with, read from `env`
 * (NODE_ENV=test) instead of the process environment and `.env`.
 */
export function testConfig(): BaseConfig;
export function testConfig<Extra extends ConfigShape>(extension: Extra, env?: Record<string, string>): Config<Extra>;
export function testConfig(extension: ConfigShape = {}, env: Record<string, string> = {}) {
  return loadConfig(extension, { env: { NODE_ENV: 'test', ...env }, envFile: false });
}
