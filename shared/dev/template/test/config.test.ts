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

  test('is a configuration the service boots with, on its own port', () => {
    const config = loadConfig(serviceConfig, { env: {}, envFile: envExample });

    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: hub.port, BCRYPT_COST: 12 });
  });
});
