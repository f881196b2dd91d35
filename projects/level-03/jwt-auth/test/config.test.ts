import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { loadConfig } from '@hub/core';
import { serviceConfig } from '../src/config.ts';

// The service's config as `pnpm start` reads it from a .env copied from .env.example.
const envExample = new URL('../.env.example', import.meta.url).pathname;
const boot = (env: Record<string, string>) => loadConfig(serviceConfig, { env, envFile: envExample });

describe('configuration in production', () => {
  test('.env.example copied as it is runs as production and refuses to boot without JWT_SECRET, saying how to make one', () => {
    expect(() => boot({})).toThrow(/JWT_SECRET: .*make one with `openssl rand -base64 32` or `node -e .*\(not set\)/);
  });

  test('the placeholder older .env.example files shipped is refused, and its value is not printed', () => {
    const placeholder = 'change-me-to-at-least-32-random-characters';

    const error = (() => {
      try {
        boot({ JWT_SECRET: placeholder });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('booted with the placeholder');
    })();

    expect(error.message).toMatch(/JWT_SECRET: is a placeholder, not a secret: .*\(value hidden\)/);
    expect(error.message).not.toContain(placeholder);
  });

  test('a secret made as .env.example says boots it', () => {
    const config = boot({ JWT_SECRET: randomBytes(32).toString('base64') });

    expect(config).toMatchObject({ NODE_ENV: 'production', BCRYPT_COST: 12 });
    expect(config.JWT_AUDIENCE).toBeUndefined();
  });
});
