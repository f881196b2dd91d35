import { ConfigError } from '@hub/core';
import { describe, expect, test } from '@jest/globals';
import { checkResetUrl } from '../src/reset/reset.mail.ts';
import { testServiceConfig } from './support.ts';

describe('configuration', () => {
  test('the defaults are a 15-minute link, 3 requests per account and 20 per IP an hour', () => {
    const config = testServiceConfig({ FORGOT_MAX_PER_IP: '', FORGOT_MAX_PER_ACCOUNT: '' });

    expect(config).toMatchObject({
      RESET_TTL_SECONDS: 900,
      FORGOT_MAX_PER_ACCOUNT: 3,
      FORGOT_MAX_PER_IP: 20,
      FORGOT_WINDOW_SECONDS: 3600,
    });
  });

  test.each(['not a url', 'javascript:alert(1)', 'ftp://files.example/reset'])(
    'RESET_URL=%s is refused at boot, naming the key',
    (value) => {
      expect(() => testServiceConfig({ RESET_URL: value })).toThrow(/RESET_URL/);
    },
  );

  test('unset, RESET_URL is this server on PORT, so the link from `pnpm dev` works on whatever port it picked', () => {
    expect(checkResetUrl({ NODE_ENV: 'development', PORT: 3004 })).toBe('http://localhost:3004/auth/password/reset');
  });

  test('in production, a RESET_URL that is missing or not https is refused', () => {
    expect(() => checkResetUrl({ NODE_ENV: 'production', PORT: 3000 })).toThrow(ConfigError);
    expect(() => checkResetUrl({ NODE_ENV: 'production', PORT: 3000, RESET_URL: 'http://app.example/reset' })).toThrow(ConfigError);
    expect(checkResetUrl({ NODE_ENV: 'production', PORT: 3000, RESET_URL: 'https://app.example/reset' })).toBe('https://app.example/reset');
  });
});
