import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig } from '@hub/core';
import { TEST_ENV } from '@hub/testkit';
import { serviceConfig, sessionTimeouts } from '../src/config.ts';
import { SESSION_SECRET } from './support.ts';

const load = (env: Record<string, string>) => loadConfig(serviceConfig, { env: { ...TEST_ENV, ...env }, envFile: false });

describe('configuration', () => {
  test('without SESSION_SECRET the service refuses to boot, naming the key', () => {
    expect(() => load({})).toThrow(/SESSION_SECRET: .*not set/);
  });

  test('a SESSION_SECRET under 32 characters is refused, and its value is not printed', () => {
    expect(() => load({ SESSION_SECRET: 'too-short-secret' })).toThrow(
      /SESSION_SECRET: must be at least 32 characters: make one with `openssl rand -base64 32`.*\(value hidden\)/,
    );
  });

  test('in production, a placeholder SESSION_SECRET is refused with how to make a real one, and a random one boots', () => {
    const production = { NODE_ENV: 'production', BCRYPT_COST: '12' };

    expect(() => load({ ...production, SESSION_SECRET: 'change-me-to-at-least-32-random-characters' })).toThrow(
      /SESSION_SECRET: is a placeholder, not a secret: make one with `openssl rand -base64 32`.*\(value hidden\)/,
    );
    expect(load({ ...production, SESSION_SECRET }).NODE_ENV).toBe('production');
  });

  test('the timeouts default to 30 minutes idle and 8 hours in all', () => {
    expect(sessionTimeouts(load({ SESSION_SECRET }))).toEqual({ idleSeconds: 1800, absoluteSeconds: 28_800 });
  });

  test('an idle timeout longer than the absolute one is refused at boot', () => {
    const config = load({ SESSION_SECRET, SESSION_IDLE_SECONDS: '3600', SESSION_ABSOLUTE_SECONDS: '600' });

    expect(() => sessionTimeouts(config)).toThrow(ConfigError);
  });
});
