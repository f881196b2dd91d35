import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { baseConfig, loadConfig } from '@hub/core';
import { serviceConfig } from '../src/config.ts';

const envExample = new URL('../.env.example', import.meta.url).pathname;
const { hub } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { hub: { port: number } };
const lines = readFileSync(envExample, 'utf8').split('\n');
/** `KEY=value` lines: each key with the line just above it. */
const entries = lines.flatMap((line, index) => {
  const key = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
  return key ? [{ key, above: lines[index - 1] ?? '' }] : [];
});

describe('.env.example', () => {
  test('names every key the service reads, each under a comment, and nothing else', () => {
    const read = Object.keys({ ...baseConfig, ...serviceConfig }).sort();

    expect(entries.map(({ key }) => key).sort()).toEqual(read);
    expect(entries.filter(({ above }) => !above.startsWith('# '))).toEqual([]);
  });

  test('is a configuration the service boots with once it has a secret, as pnpm dev gives it one, on its own port', () => {
    const env = { NODE_ENV: 'development', JWT_SECRET: randomBytes(32).toString('base64') };

    const config = loadConfig(serviceConfig, { env, envFile: envExample });

    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: hub.port, BCRYPT_COST: 12 });
  });

  test('copied as it is, it starts in production and refuses to boot without a real secret, saying how to make one', () => {
    expect(() => loadConfig(serviceConfig, { env: {}, envFile: envExample })).toThrow(/JWT_SECRET: .*openssl rand -base64 32.*\(not set\)/);
    expect(() =>
      loadConfig(serviceConfig, { env: { JWT_SECRET: 'change-me-to-at-least-32-random-characters' }, envFile: envExample }),
    ).toThrow(/JWT_SECRET: is a placeholder/);
  });
});
