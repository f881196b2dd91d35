// Small helpers the core tests share: an app around some routes, and a logger whose lines we can read.
import { Writable } from 'node:stream';
import { testConfig } from '@hub/testkit';
import winston from 'winston';
import { createApp, type AppOptions } from '../src/index.ts';
import { configureLogger, logger, type LogLevel } from '../src/logger.ts';

/** The shared pipeline around `routes`, with a test config unless the options say otherwise. */
export function appWith(routes: AppOptions['routes'], options: Partial<AppOptions> = {}) {
  return createApp({ name: 'core-test', version: '1.2.3', config: testConfig(), routes, ...options });
}

/** A production (JSON) or development (pretty) logger writing into `lines`; `restore()` silences it again. */
export function captureLogs(nodeEnv: 'production' | 'development' = 'production', level: LogLevel = 'debug') {
  configureLogger({ level, nodeEnv });
  logger.clear();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  logger.add(new winston.transports.Stream({ stream: sink }));
  return {
    lines,
    /** Lines parsed as JSON (production format). */
    json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    /** Resolves once `count` lines were written (the logger writes through streams). */
    async waitFor(count: number, timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} log lines, got ${lines.length}:\n${lines.join('\n')}`);
        await new Promise((done) => setTimeout(done, 5));
      }
    },
    restore: () => configureLogger({ level: 'silent', nodeEnv: 'test' }),
  };
}

/** The value of one entry of a Server-Timing header, or undefined: `stageOf(header, 'db')` → `db;dur=1.2`. */
export function timingEntry(header: string | undefined, name: string): string | undefined {
  return (header ?? '').split(', ').find((entry) => entry === name || entry.startsWith(`${name};`));
}
